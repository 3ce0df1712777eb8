import { args, child, memberPath, objectKeys, objectProp, unwrap } from './ast.js';
import type { ValidatedVar } from './class-validator.js';
import { callsNamed } from './scan.js';
import { nodeEvidence, type SourceRun } from './types.js';

/**
 * AdonisJS validates the environment at boot (start/env.ts):
 *
 *   export default await Env.create(new URL('../', import.meta.url), {
 *     PORT: Env.schema.number(), APP_KEY: Env.schema.string(), SMTP_HOST: Env.schema.string.optional(),
 *   })
 *
 * Each key is a variable; without `.optional()` the service refuses to start without it.
 */
export function adonisEnvVars(run: SourceRun): ValidatedVar[] {
  const out: ValidatedVar[] = [];
  for (const s of run.astScans) {
    if (!s.importSources.has('@adonisjs/core/env')) continue;
    for (const c of callsNamed(s, 'create')) {
      const path = memberPath(unwrap(child(c, 'callee')));
      if (path?.length !== 2 || s.imports.get(path[0]!)?.source !== '@adonisjs/core/env') continue;
      const schema = unwrap(args(c)[1] ?? null);
      for (const name of objectKeys(schema)) {
        if (!/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
        const v = objectProp(schema, name);
        const optional = v !== null && /\.optional\b/.test(s.parsed.text.slice(v.start, v.end));
        out.push({ name, evidence: nodeEvidence(s, v?.start ?? c.start, 'adonisjs-env-schema'), optional, def: null });
      }
    }
  }
  return out;
}
