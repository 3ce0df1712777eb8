// Auth libraries that read their signing secret from the environment themselves, so no `process.env` read names it
// (and Strapi's users-permissions plugin, JWT_SECRET):
// NextAuth.js 4 refuses to run in production without NEXTAUTH_SECRET unless its options pass `secret` (NO_SECRET);
// Auth.js 5 (next-auth@5) the same with AUTH_SECRET. karakeep and linkwarden passed no secret: the template never set
// one and every sign-in failed.
import { evidence, lineMatching, type Evidence } from '../../evidence.js';
import { args, child, children, objectProp, unwrap, type Node } from './ast.js';
import { callsNamed, type FileScan } from './scan.js';
import { nodeEvidence, type SourceRun } from './types.js';

/** The secret variables an auth library needs that the code leaves to it, with the call that configures it. */
export function authLibrarySecrets(run: SourceRun): Array<{ name: string; evidence: Evidence }> {
  return [...nextAuthSecret(run), ...strapiJwtSecret(run)];
}

/**
 * Strapi's users-permissions plugin signs its tokens with `jwtSecret: env('JWT_SECRET')` from its own default config and
 * refuses to boot outside development without one (foodadvisor), unless config/plugins sets `jwtSecret`.
 */
function strapiJwtSecret(run: SourceRun): Array<{ name: string; evidence: Evidence }> {
  const { ctx } = run;
  if (!ctx.hasDep('@strapi/plugin-users-permissions')) return [];
  const plugins = ['js', 'ts'].map((e) => ctx.unitPath(`config/plugins.${e}`)).find((f) => ctx.repo.files.includes(f));
  if (plugins && /jwtSecret/.test(ctx.repo.read(plugins) ?? '')) return [];
  const pkg = ctx.pkgFile ?? ctx.unitPath('package.json');
  return [{ name: 'JWT_SECRET', evidence: evidence(pkg, lineMatching(ctx.repo.read(pkg) ?? '', /@strapi\/plugin-users-permissions/), 'auth-library-secret', '@strapi/plugin-users-permissions: jwtSecret = JWT_SECRET') }];
}

/** next-auth's version, through a pnpm catalog (`"next-auth": "catalog:"`: homarr's 5.0.0-beta.31 is in pnpm-workspace.yaml). */
function nextAuthVersion(run: SourceRun): string | null {
  const version = run.ctx.depVersion('next-auth');
  if (version === null || !version.startsWith('catalog:')) return version;
  return /^\s+["']?next-auth["']?\s*:\s*["']?([^"'\s#]+)/m.exec(run.ctx.repo.read('pnpm-workspace.yaml') ?? '')?.[1] ?? version;
}

/** Auth.js 5: `5.0.0-beta.25`, `^5`, or the `beta` dist-tag, which has named 5 since 2023 (next-auth-example). */
function authJs5(version: string): boolean {
  return /^\D*5/.test(version) || /^(beta|next)$/.test(version.trim());
}

/**
 * Settings an auth library needs set to a known value in a pod. Auth.js 5 trusts the request's host only on Vercel or
 * outside production (`trustHost ??= !!(AUTH_URL ?? AUTH_TRUST_HOST ?? VERCEL ?? NODE_ENV !== 'production')`): behind
 * the Sealos ingress every sign-in failed with UntrustedHost (vercel/ai-chatbot), unless its options say `trustHost`.
 */
export function authLibrarySettings(run: SourceRun): Array<{ name: string; value: string; evidence: Evidence }> {
  const version = nextAuthVersion(run);
  if (version === null || !authJs5(version)) return [];
  for (const s of run.astScans)
    for (const call of callsNamed(s, 'NextAuth')) {
      const says = optionSays(run, args(call)[0] ?? null, s, 'trustHost');
      if (says === null) continue;
      return says ? [] : [{ name: 'AUTH_TRUST_HOST', value: 'true', evidence: nodeEvidence(s, call.start, 'auth-library-trust-host') }];
    }
  return [];
}

/**
 * Whether options an auth call is given set `key`, through spreads of objects the evaluator follows (ai-chatbot's
 * `NextAuth({ ...authConfig, providers })` with authConfig in another file); null when they cannot be read.
 */
function optionSays(run: SourceRun, opts: Node | null, s: FileScan, key: string, depth = 0): boolean | null {
  const v = depth > 3 ? null : run.ev.eval(opts, s);
  if (v?.k !== 'obj' || unwrap(v.node)?.type !== 'ObjectExpression') return null;
  if (objectProp(v.node, key) !== null) return true;
  for (const p of children(v.node, 'properties')) {
    if (p.type !== 'SpreadElement') continue;
    const inner = optionSays(run, child(p, 'argument'), v.mod, key, depth + 1);
    if (inner !== false) return inner;
  }
  return false;
}

function nextAuthSecret(run: SourceRun): Array<{ name: string; evidence: Evidence }> {
  const version = nextAuthVersion(run);
  if (version === null) return [];
  const name = authJs5(version) ? 'AUTH_SECRET' : 'NEXTAUTH_SECRET';
  for (const s of run.astScans)
    for (const call of callsNamed(s, 'NextAuth')) {
      // `NextAuth(options)`, or the advanced `NextAuth(req, res, options)`.
      const a = args(call);
      // Options the evaluator cannot follow (a spread of them too) may well pass a secret: say nothing.
      const says = optionSays(run, a.length >= 3 ? a[2]! : (a[0] ?? null), s, 'secret');
      if (says === null) continue;
      return says ? [] : [{ name, evidence: nodeEvidence(s, call.start, 'auth-library-secret') }];
    }
  return [];
}
