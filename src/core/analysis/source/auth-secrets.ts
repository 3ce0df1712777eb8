// Auth libraries that read their signing secret from the environment themselves, so no `process.env` read names it
// (and Strapi's users-permissions plugin, JWT_SECRET):
// NextAuth.js 4 refuses to run in production without NEXTAUTH_SECRET unless its options pass `secret` (NO_SECRET);
// Auth.js 5 (next-auth@5) the same with AUTH_SECRET. karakeep and linkwarden passed no secret: the template never set
// one and every sign-in failed.
import { evidence, lineMatching, type Evidence } from '../../evidence.js';
import { args, children, objectProp, unwrap } from './ast.js';
import { callsNamed } from './scan.js';
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

function nextAuthSecret(run: SourceRun): Array<{ name: string; evidence: Evidence }> {
  let version = run.ctx.depVersion('next-auth');
  if (version === null) return [];
  // pnpm's catalog (`"next-auth": "catalog:"`): the version is in pnpm-workspace.yaml (homarr: 5.0.0-beta.31).
  if (version.startsWith('catalog:')) version = /^\s+["']?next-auth["']?\s*:\s*["']?([^"'\s#]+)/m.exec(run.ctx.repo.read('pnpm-workspace.yaml') ?? '')?.[1] ?? version;
  const name = /^\D*5/.test(version) ? 'AUTH_SECRET' : 'NEXTAUTH_SECRET';
  for (const s of run.astScans)
    for (const call of callsNamed(s, 'NextAuth')) {
      // `NextAuth(options)`, or the advanced `NextAuth(req, res, options)`.
      const a = args(call);
      const opts = a.length >= 3 ? a[2]! : a[0];
      const v = opts ? run.ev.eval(opts, s) : null;
      // Options the evaluator cannot follow may well pass a secret: say nothing.
      if (v?.k !== 'obj' || unwrap(v.node)?.type !== 'ObjectExpression') continue;
      // A spread (`...baseOptions`) may carry one too.
      if (objectProp(v.node, 'secret') !== null || children(v.node, 'properties').some((p) => p.type === 'SpreadElement')) return [];
      return [{ name, evidence: nodeEvidence(s, call.start, 'auth-library-secret') }];
    }
  return [];
}
