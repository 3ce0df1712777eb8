import type { Clock, Http } from '../../core/ports.js';
import { EXIT, type CliIo, type Command } from '../command.js';
import { printJson } from '../output.js';

function showPrompt(io: CliIo, text: string): void {
  io.stderr(`\n${text} Waiting for approval…\n\n`);
}

/** Deploys read SEALOS_KUBECONFIG/KUBECONFIG before ~/.sealos/kubeconfig: say so, or the login looks ignored. */
export function kubeconfigEnvNote(env: NodeJS.ProcessEnv): string | null {
  const name = env.SEALOS_KUBECONFIG ? 'SEALOS_KUBECONFIG' : env.KUBECONFIG ? 'KUBECONFIG' : null;
  return name ? `note: ${name} is set, so deploys use it instead of ~/.sealos/kubeconfig; unset it to deploy with this login.\n` : null;
}

export function createLoginCommand(deps: { clock?: Clock; http?: Http } = {}): Command {
  return {
    name: 'login',
    summary: 'Sign in to a Sealos region (OAuth device grant); writes ~/.sealos/kubeconfig and auth.json',
    usage: [
      'Usage: sealos-deploy login [--region <url>] [--workspace <id>] [--ca-file <pem>] [--json]',
      '',
      '  --region <url>     region console, e.g. https://usw-1.sealos.io or usw-1.sealos.io',
      '                     (default: SEALOS_REGION, then the last login, then https://usw-1.sealos.io)',
      '  --workspace <id>   switch to this workspace (ns-…, uid or team name) after signing in',
      '  --ca-file <pem>    CA bundle of a region with a private certificate; TLS is always verified',
      '  --json             print the result as JSON (the URL and code still go to stderr)',
      '',
      'Shows a verification URL and code: open it on any device (works on headless hosts).',
      'The files are shared with sealos-cli and the Sealos plugin; no token is ever printed.',
    ].join('\n'),
    options: { region: { type: 'string' }, workspace: { type: 'string' }, 'ca-file': { type: 'string' } },
    positionals: 'none',
    async run(values, _positionals, io) {
      const common = {
        env: io.env,
        ...(deps.http ? { http: deps.http } : {}),
        ...(values['ca-file'] ? { caFile: values['ca-file'] as string } : {}),
        progress: (m: string) => io.stderr(`${m}\n`),
      };
      const [{ login }, { verificationText }] = await Promise.all([import('../../sealos/login.js'), import('../../sealos/device-grant.js')]);
      const result = await login({
        ...common,
        ...(values.region ? { region: values.region as string } : {}),
        ...(deps.clock ? { clock: deps.clock } : {}),
        onVerification: (p) => showPrompt(io, verificationText(p)),
      });
      let workspace = result.workspace;
      let namespace = result.namespace;
      if (values.workspace) {
        const { switchWorkspace } = await import('../../sealos/workspaces.js');
        const switched = await switchWorkspace({ ...common, target: values.workspace as string });
        workspace = switched.workspace;
        namespace = switched.namespace;
      }
      const out = { ...result, workspace, namespace };
      const note = kubeconfigEnvNote(io.env);
      if (note) io.stderr(note);
      if (values.json) printJson(io, out);
      else {
        io.stdout(`Signed in to ${out.region}.\n`);
        io.stdout(`Workspace: ${namespace}${workspace ? ` (${workspace.teamName})` : ''} — deploys target this namespace.\n`);
        io.stdout(`Kubeconfig: ${out.kubeconfig_path}\n`);
      }
      return EXIT.ok;
    },
  };
}

export const loginCommand: Command = createLoginCommand();
