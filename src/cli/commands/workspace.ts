import { DeployError } from '../../core/errors.js';
import type { Http } from '../../core/ports.js';
import { EXIT, type Command } from '../command.js';
import { printJson, table } from '../output.js';
import { kubeconfigEnvNote } from './login.js';

const ROLES: Record<number, string> = { 0: 'owner', 1: 'manager', 2: 'developer' };

export function createWorkspaceCommand(deps: { http?: Http } = {}): Command {
  return {
    name: 'workspace',
    summary: 'List Sealos workspaces or switch the one deploys target',
    usage: [
      'Usage: sealos-deploy workspace list [--json]',
      '       sealos-deploy workspace switch <id|uid|team name> [--json]',
      '',
      '  list     workspaces of the signed-in account; * marks the current one',
      '  switch   make another workspace the deploy target (rewrites ~/.sealos/kubeconfig)',
      '  --ca-file <pem>  CA bundle of a region with a private certificate',
    ].join('\n'),
    options: { 'ca-file': { type: 'string' } },
    positionals: 'own',
    async run(values, positionals, io) {
      const [sub = 'list', target, ...extra] = positionals;
      const common = { env: io.env, ...(deps.http ? { http: deps.http } : {}), ...(values['ca-file'] ? { caFile: values['ca-file'] as string } : {}) };
      if (sub === 'list') {
        if (target) throw new DeployError('USAGE', `workspace list takes no argument (got "${target}").`, 'Run `sealos-deploy workspace list`.');
        const { listWorkspaces } = await import('../../sealos/workspaces.js');
        const result = await listWorkspaces(common);
        if (values.json) printJson(io, result);
        else {
          const rows = [['', 'NAMESPACE', 'TEAM', 'ROLE', 'TYPE'], ...result.workspaces.map((w) => [w.current ? '*' : '', w.id, w.teamName, w.role === null ? '' : (ROLES[w.role] ?? String(w.role)), w.nstype ?? ''])];
          io.stdout(`Region ${result.region}\n` + table(rows));
          if (!result.current) io.stderr('No current workspace recorded; run `sealos-deploy workspace switch <id>` to choose one.\n');
        }
        return EXIT.ok;
      }
      if (sub === 'switch') {
        if (!target || extra.length) throw new DeployError('USAGE', 'workspace switch takes exactly one workspace.', 'Run `sealos-deploy workspace switch <id|uid|team name>`; see `sealos-deploy workspace list`.');
        const { switchWorkspace } = await import('../../sealos/workspaces.js');
        const result = await switchWorkspace({ ...common, target, progress: (m) => io.stderr(`${m}\n`) });
        const note = kubeconfigEnvNote(io.env);
        if (note) io.stderr(note);
        if (values.json) printJson(io, result);
        else io.stdout(`Switched to ${result.namespace} (${result.workspace.teamName}); deploys now target this namespace.\nKubeconfig: ${result.kubeconfig_path}\n`);
        return EXIT.ok;
      }
      throw new DeployError('USAGE', `Unknown workspace subcommand "${sub}".`, 'Use `sealos-deploy workspace list` or `sealos-deploy workspace switch <id>`.');
    },
  };
}

export const workspaceCommand: Command = createWorkspaceCommand();
