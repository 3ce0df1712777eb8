import { evidence, type Evidence } from '../../evidence.js';
import { basename } from 'node:path';
import { nodeEvidence, type SourceRun } from './types.js';

export interface DotenvSafe {
  /** `allowEmptyValues: true`: a key set to '' passes; otherwise an empty value counts as missing. */
  allowEmpty: boolean;
  evidence: Evidence;
}

const MODULES = new Set(['dotenv-safe', 'dotenv-safe/config']);

/**
 * dotenv-safe refuses to start (MissingEnvVarsError) unless every key of the example file is set in the
 * environment, non-empty unless `allowEmptyValues`. In a container there is no .env to fill them, so each
 * key the example lists is one the deployment must set. Null when the service does not use it, or checks an
 * example file other than the one found (dotenv-safe's default is `.env.example`, else the code names it).
 */
export function dotenvSafe(run: SourceRun, exampleFile: string | null): DotenvSafe | null {
  if (!exampleFile) return null;
  const name = basename(exampleFile);
  const start = run.hints.startCommand ?? '';
  const required = /(?:^|\s)(?:-r|--require|--import)[\s=]+dotenv-safe\/config\b/.test(start);
  for (const s of run.scans) {
    if (![...s.importSources].some((m) => MODULES.has(m))) continue;
    const text = s.parsed.text;
    if (name !== '.env.example' && !text.includes(name)) continue;
    const at = Math.max(0, text.indexOf('dotenv-safe'));
    return { allowEmpty: /\ballowEmptyValues\s*:\s*true\b/.test(text), evidence: nodeEvidence(s, at, 'dotenv-safe') };
  }
  if (required && name === '.env.example') return { allowEmpty: false, evidence: evidence(run.ctx.pkgFile ?? run.ctx.unitPath('package.json'), 1, 'dotenv-safe', start) };
  return null;
}
