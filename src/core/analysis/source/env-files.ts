import ignore from 'ignore';
import { evidence } from '../../evidence.js';
import type { EnvFilesSchema, Finding } from '../../state/analysis-schema.js';
import type { AnalysisContext } from '../context.js';
import { looksSecretName, maskCommandSecrets } from '../../redact.js';
import { isPlaceholder, isPublicEnv, parseEnvFile, type ExampleVar } from './env-vars.js';
import { finding } from './types.js';
import type { z } from 'zod';

const EXAMPLE_NAMES = ['.env.example', '.env.sample', '.env.template', '.env.dist', '.env.defaults', '.env.local.example', '.env.example.local', 'example.env', 'env.example', 'sample.env', 'env.sample', '.env.development.example', '.example.env', '.env-example'];
/** Other example files by their shape: kener's `.env-min.example`, `.env.production.sample`, nestjs-boilerplate's `env-example-relational`. */
const EXAMPLE_SHAPE = /^\.env[-.][\w.-]+\.(?:example|sample|template)$|^\.?env[-.](?:example|sample)[-.][\w-]+$/;
const EXAMPLE_LIKE = /(example|sample|template|dist|defaults)/i;
// Stand-ins by design: a test environment's file, and defaults for docker compose (`.env.default`, `.env.dev.default`).
// `.env.test`, `test.env`, and env files a test suite keeps under its own directory (payload's test/…/.env.emulated).
// Test and development environments (outline's .env.development, ghostfolio's .env.dev) hold stand-ins by design.
const TEST_ENV_FILE = /(^|\/)\.env\.(test|testing|ci|e2e|dev|development)$|(^|\/)\.env(\.[\w-]+)?\.default$|(^|\/)(test|e2e)\.env$|(^|\/)(test|tests|__tests__|e2e|fixtures?)\/([^/]+\/)*[^/]*\.env[^/]*$/;
const ENV_FILE = /(^|\/)(\.env(\.[\w.-]+)?|[\w-]+\.env)$/;

export interface EnvFilesResult {
  facts: z.infer<typeof EnvFilesSchema>;
  example: { file: string; vars: ExampleVar[] } | null;
  findings: Finding[];
}

function gitignoreCovers(ctx: AnalysisContext, path: string): boolean {
  const parts = path.split('/');
  for (let i = 0; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    const gi = dir ? `${dir}/.gitignore` : '.gitignore';
    if (!ctx.repo.files.includes(gi)) continue;
    const text = ctx.repo.read(gi);
    if (text === null) continue;
    const rel = parts.slice(i).join('/');
    try {
      if (ignore().add(text).ignores(rel)) return true;
    } catch {
      /* malformed pattern: treat as not covering */
    }
  }
  return false;
}

/** Text holding a credential by its shape (a provider key, a password in a URL), placeholders aside. */
function credentialShaped(text: string): boolean {
  const m = maskCommandSecrets(text);
  return m.masked.length > 0 && !m.placeholdersOnly;
}

/** A committed env file leaks when it gives a real value to a non-public key. */
function hasRealValues(text: string): ExampleVar[] {
  return parseEnvFile(text).filter((v) => v.value !== '' && !isPlaceholder(v.value) && !isPublicEnv(v.name));
}

export function detectEnvFiles(ctx: AnalysisContext): EnvFilesResult {
  const files = new Set(ctx.repo.files);
  let example: EnvFilesResult['example'] = null;
  for (const dir of ctx.unit ? [ctx.unit, ''] : ['']) {
    for (const name of EXAMPLE_NAMES) {
      const p = dir ? `${dir}/${name}` : name;
      if (!files.has(p)) continue;
      const text = ctx.repo.read(p);
      if (text === null) continue;
      example = { file: p, vars: parseEnvFile(text) };
      break;
    }
    if (!example) {
      const prefix = dir ? dir + '/' : '';
      // Not a test suite's (automatisch's .env-example.test).
      const shaped = ctx.repo.files.filter((f) => f.startsWith(prefix) && !f.includes('/', prefix.length) && EXAMPLE_SHAPE.test(f.slice(prefix.length)) && !/test/i.test(f.slice(prefix.length))).sort()[0];
      const text = shaped ? ctx.repo.read(shaped) : null;
      if (shaped && text !== null) example = { file: shaped, vars: parseEnvFile(text) };
    }
    if (example) break;
  }

  const envPath = ctx.unitPath('.env');
  const tracked = ctx.repo.isTracked(envPath);
  let envIgnored: boolean | null;
  if (tracked === null) envIgnored = null;
  else if (files.has(envPath)) envIgnored = false; // listed by git: tracked, or untracked and not ignored
  else envIgnored = gitignoreCovers(ctx, envPath);

  const committed: string[] = [];
  const leakEvidence = [];
  // Whether a committed file is .env or any value a secret by its name or its shape; settings alone (NODE_ENV, PORT) leak nothing.
  let secret = false;
  if (tracked !== null) {
    const prefix = ctx.unit ? ctx.unit + '/' : '';
    for (const f of ctx.repo.files) {
      if (prefix && !f.startsWith(prefix) && f.includes('/')) continue;
      if (!ENV_FILE.test(f) || EXAMPLE_LIKE.test(f.slice(f.lastIndexOf('/') + 1))) continue;
      if (ctx.repo.isTracked(f) !== true) continue;
      const text = ctx.repo.read(f);
      if (text === null) continue;
      // A test or development environment's file (`.env.test` for the e2e suite) holds stand-ins by design: only a value that is a
      // credential by its shape (a provider key, a password to a host other than this machine) is a leak there.
      const real = TEST_ENV_FILE.test(f) ? hasRealValues(text).filter((v) => credentialShaped(v.value)) : hasRealValues(text);
      if (real.length === 0) continue;
      // `.env` itself is where secrets go: committed, it fails whatever it holds now.
      secret ||= f.endsWith('/.env') || f === '.env' || real.some((v) => looksSecretName(v.name) || credentialShaped(`${v.name}=${v.value}`));
      committed.push(f);
      leakEvidence.push(...real.slice(0, 3).map((v) => evidence(f, v.line, 'committed-env-value', `${v.name}=***`)));
    }
  }
  committed.sort();

  const findings: Finding[] = [];
  if (committed.length > 0 && secret)
    findings.push(
      finding(
        'env-ignored',
        'environment',
        'fail',
        `Git tracks env file(s) with real values: ${committed.join(', ')}. Anyone with the repository has these values.`,
        `git rm --cached ${committed.join(' ')}; add them to .gitignore; rotate any secret they contained and set the values as Sealos env vars instead.`,
        leakEvidence,
      ),
    );
  else if (committed.length > 0)
    findings.push(
      finding(
        'env-ignored',
        'environment',
        'warn',
        `Git tracks env file(s) with settings, none of them a secret by its name or value: ${committed.join(', ')}. One added secret would be committed with them.`,
        `Keep secrets out of ${committed.length > 1 ? 'these files' : 'this file'} (or untrack ${committed.length > 1 ? 'them' : 'it'} and list ${committed.length > 1 ? 'them' : 'it'} in .gitignore); the deployment's values are set as Sealos env vars.`,
        leakEvidence,
      ),
    );
  else if (envIgnored === true) findings.push(finding('env-ignored', 'environment', 'pass', '.env is ignored by git.', null, []));
  else if (envIgnored === null) {
    // Not a git checkout: judge by the .gitignore rules that a future repository would use.
    findings.push(
      gitignoreCovers(ctx, envPath)
        ? finding('env-ignored', 'environment', 'pass', '.gitignore lists .env.', null, [])
        : finding('env-ignored', 'environment', 'warn', '.env is not listed in .gitignore.', 'Add `.env` and `.env*.local` to .gitignore.', []),
    );
  } else if (envIgnored === false)
    findings.push(
      finding(
        'env-ignored',
        'environment',
        'warn',
        files.has(envPath) ? `${envPath} exists and is not ignored by git: one \`git add .\` commits it.` : '.env is not listed in .gitignore.',
        'Add `.env` and `.env*.local` to .gitignore.',
        files.has(envPath) ? [evidence(envPath, 1, 'env-not-ignored')] : [],
      ),
    );
  return { facts: { example: example?.file ?? null, env_ignored: envIgnored, committed_env_files: committed }, example, findings };
}
