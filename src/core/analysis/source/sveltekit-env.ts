import type { Evidence } from '../../evidence.js';
import type { Finding } from '../../state/analysis-schema.js';
import { SVELTEKIT_STATIC_ENV } from './scan.js';
import { finding, nodeEvidence, type SourceRun } from './types.js';

/**
 * SvelteKit writes `$env/static/private` and `$env/static/public` when the app is built, from the environment the build
 * has: a name it lacks stops the build ("OPENAI_API_KEY" is not exported by "$env/static/private"), and the value the
 * deployment sets later never reaches the code. `$env/dynamic/private` is read as the server runs.
 */
export function sveltekitStaticEnvFindings(run: SourceRun): Finding[] {
  const names = new Set<string>();
  const ev: Evidence[] = [];
  for (const s of run.astScans)
    for (const r of s.envReads) {
      if (r.via !== 'import.meta.env' || r.node.type !== 'ImportSpecifier') continue;
      const source = s.imports.get(r.name)?.source ?? [...s.imports.values()].find((i) => i.imported === r.name)?.source;
      if (!source || !SVELTEKIT_STATIC_ENV.test(source)) continue;
      names.add(r.name);
      if (ev.length < 5) ev.push(nodeEvidence(s, r.node.start, 'sveltekit-static-env'));
    }
  if (names.size === 0) return [];
  const list = [...names].sort();
  return [
    finding(
      'build-time-env',
      'environment',
      'fail',
      `SvelteKit inlines ${list.join(', ')} from $env/static when the image is built: the build stops without them ("${list[0]}" is not exported by "$env/static/private"), and the value the deployment sets never reaches the code.`,
      `Read them from $env/dynamic/private (\`import { env } from '$env/dynamic/private'; env.${list[0]}\`): the server reads those as it runs.`,
      ev,
    ),
  ];
}
