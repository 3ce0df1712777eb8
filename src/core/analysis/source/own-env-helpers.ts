import { walk } from '../parse.js';
import { args, child, functionName, isFunction, stringValue, unwrap } from './ast.js';
import { envKeyHelper, type EnvKeyHelper } from './env-key-helper.js';
import type { ValidatedVar } from './class-validator.js';
import { dynamicEnvIn } from './cached-scan.js';
import { literalOf } from './modules.js';
import { ENV_HELPER_NAMES, literalText } from './scan.js';
import { nodeEvidence, type SourceRun } from './types.js';

const KNOWN = new Set(ENV_HELPER_NAMES);

/**
 * Variables read through the service's own helpers: a function that reads `process.env[key]` for its first
 * parameter (`getOsEnv('APP_NAME')`, w3tecch's express-typescript-boilerplate), or hands its key to one
 * (`getOsPath('TYPEORM_MIGRATIONS_DIR')`). A helper that throws when the variable is unset makes it required; a
 * fallback argument is its default. Helpers named like the common ones are read where they are called already.
 */
export function ownHelperVars(run: SourceRun): ValidatedVar[] {
  // Every tier reads the same files for this: those whose text can matter, each parsed on demand. Whole texts are
  // read only once a helper exists (to find its callers): a scan cache keeps each file's dynamic-read mark.
  const candidates = run.matterScans;
  const helpers = new Map<string, EnvKeyHelper>();
  const defining = candidates.filter(dynamicEnvIn);
  for (let round = 0; round < 2 && defining.length; round++)
    for (const s of candidates) {
      if (round === 0 ? !defining.includes(s) : ![...helpers.keys()].some((h) => s.parsed.text.includes(h))) continue;
      const p = run.index.scan(s.file);
      if (!p) continue;
      walk(p.parsed.program, (n, parent) => {
        if (!isFunction(n)) return;
        const name = functionName(n, parent);
        if (!name || KNOWN.has(name) || helpers.has(name)) return;
        const h = envKeyHelper(n, p.envAliases, helpers);
        if (h) helpers.set(name, h);
      });
    }
  const out: ValidatedVar[] = [];
  if (helpers.size === 0) return out;
  for (const s of candidates) {
    const names = [...helpers.keys()].filter((h) => s.parsed.text.includes(`${h}(`));
    if (!names.length) continue;
    const p = run.index.scan(s.file);
    if (!p) continue;
    for (const name of names) {
      // The helper itself, defined here or imported: not a method of something else that shares its name.
      if (!p.bindings.has(name) && !p.imports.has(name)) continue;
      const h = helpers.get(name)!;
      for (const call of p.callsByName.get(name) ?? []) {
        const callee = unwrap(child(call, 'callee'));
        if (callee?.type !== 'Identifier') continue;
        const a = args(call);
        // The key as written, or a constant holding it (mongo-express: `const basicAuthUsername = 'ME_CONFIG_BASICAUTH_USERNAME'`).
        const key = a[0] ?? null;
        const v = stringValue(key) ?? (unwrap(key)?.type === 'Identifier' ? literalOf(run.ev.eval(key!, p)) : null);
        if (typeof v !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(v)) continue;
        const def = h.fallback !== null ? literalText(a[h.fallback] ?? null) : null;
        out.push({ name: v, evidence: nodeEvidence(p, call.start, 'env-own-helper'), def, optional: !h.throws || def !== null || (h.fallback !== null && a[h.fallback] !== undefined) });
      }
    }
  }
  return out;
}
