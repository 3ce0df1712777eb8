import type { Finding } from '../../state/analysis-schema.js';
import { finding, nodeEvidence, type SourceRun } from './types.js';

/**
 * `const envFound = dotenv.config(); if (envFound.error) throw new Error("Couldn't find .env file")`
 * (bulletproof-nodejs and its many copies): the service stops at start when there is no .env file, and an image has
 * none (.dockerignore leaves env files out; the deployment sets the variables). The file dotenv reads: its literal
 * `path`, else `.env` where the process runs.
 */
const REFUSES = /(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:dotenv|require\(\s*['"]dotenv['"]\s*\))\s*\.\s*config\s*\(\s*(\{[^)]*\})?\s*\)\s*;?[\s\S]{0,600}?\bif\s*\(\s*\1\s*\.\s*error\s*\)\s*(?:\{[^}]{0,400}?)?(?:throw\b|process\s*\.\s*exit\s*\()/;
const PATH_OPTION = /\bpath\s*:\s*(['"])([^'"]+)\1/;

export interface DotenvRequired {
  /** The env file the service stops without, relative to where it runs. */
  file: string | null;
  findings: Finding[];
}

export function dotenvRequired(run: SourceRun): DotenvRequired {
  for (const s of run.scans) {
    if (!s.importSources.has('dotenv')) continue;
    const m = REFUSES.exec(s.parsed.text);
    if (!m) continue;
    // Another file it names by an expression (`path.join(__dirname, …)`): not followed.
    const opts = m[2] ?? '';
    if (opts && !PATH_OPTION.test(opts) && /\bpath\s*:/.test(opts)) continue;
    const file = (PATH_OPTION.exec(opts)?.[2] ?? '.env').replace(/^\.\//, '');
    const at = m.index + m[0].search(/\bif\s*\(/);
    const ev = nodeEvidence(s, at, 'dotenv-required');
    return {
      file,
      findings: [
        finding(
          'env-file-required',
          'environment',
          'warn',
          `The service stops at start when ${file} is missing (${s.file}:${s.parsed.line(at)}): an image has no env file, the deployment sets the variables. The generated image creates an empty ${file} so it starts.`,
          `Throw only when a variable the service needs is unset, not when ${file} is absent (dotenv.config() leaves set variables alone).`,
          [ev],
        ),
      ],
    };
  }
  return { file: null, findings: [] };
}
