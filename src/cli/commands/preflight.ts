import { resolve } from 'node:path';
import { createRedactor } from '../../core/redact.js';
import { EXIT, type Command } from '../command.js';
import { printJson } from '../output.js';
import { CLUSTER_OPTIONS, clusterOpts } from './deploy.js';

const MARK = { pass: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' } as const;

export const preflightCommand: Command = {
  name: 'preflight',
  summary: 'Check everything a deploy needs (kubeconfig, API, token, permissions, quota, app domain, git, docker) without changing anything',
  usage: [
    'Usage: sealos-deploy preflight [dir] [--kubeconfig f] [--namespace ns] [--domain d] [--image ref] [--json]',
    '',
    '  --namespace ns   check another namespace than the kubeconfig context (deploys act only in the context)',
    '  --domain d       the app domain, when the namespace has no Ingress and you are not signed in',
    '  --image ref      an image built elsewhere (then Docker is not needed)',
    'Exit codes: 0 ready, 1 blockers found.',
  ].join('\n'),
  options: {
    ...CLUSTER_OPTIONS,
    namespace: { type: 'string' },
    domain: { type: 'string' },
    image: { type: 'string' },
    input: { type: 'string', multiple: true },
  },
  async run(values, positionals, io) {
    const redactor = createRedactor();
    const [{ collectInputs }, { preflight }] = await Promise.all([import('../../ops/inputs.js'), import('../../ops/preflight.js')]);
    const inputs = await collectInputs({ pairs: (values.input as string[] | undefined) ?? [], redactor });
    const report = await preflight(resolve(io.cwd, positionals[0] ?? '.'), {
      ...clusterOpts(values, io),
      ...(typeof values.namespace === 'string' ? { namespace: values.namespace } : {}),
      ...(typeof values.domain === 'string' ? { domain: values.domain } : {}),
      ...(typeof values.image === 'string' ? { image: values.image } : {}),
      inputs,
    });
    const safe = redactor.redactDeep(report);
    if (values.json) printJson(io, safe);
    else {
      const lines = safe.checks.map((c) => `${MARK[c.status]}  ${c.id.padEnd(11)} ${c.summary}${c.status === 'fail' || c.status === 'warn' ? `\n${' '.repeat(18)}${c.code}: ${c.next ?? ''}` : ''}`);
      lines.push('', safe.ready ? `Ready to deploy${safe.warnings.length ? ` (${safe.warnings.length} warning(s))` : ''}.` : `Not ready: ${safe.blockers.length} blocker(s): ${safe.blockers.map((b) => b.code).join(', ')}.`);
      io.stdout(lines.join('\n') + '\n');
    }
    return safe.ready ? EXIT.ok : EXIT.rejected;
  },
};
