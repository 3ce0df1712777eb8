/** What a response body gives away: SSR failure pages, SPA shells on API paths, health endpoints that say too much. */

/** Text frameworks render when server-side rendering failed, even under a 200 (Next.js, Express, Nuxt). */
export const SSR_FAILURE_TEXTS = ['Application error', 'Internal Server Error', 'server-side exception', 'Unhandled Runtime Error'] as const;

export function ssrFailures(body: string): Array<{ text: string; excerpt: string }> {
  const out: Array<{ text: string; excerpt: string }> = [];
  for (const text of SSR_FAILURE_TEXTS) {
    const i = body.indexOf(text);
    if (i >= 0) out.push({ text, excerpt: body.slice(Math.max(0, i - 60), i + text.length + 60).replace(/\s+/g, ' ') });
  }
  return out;
}

/** An HTML document: what an SPA catch-all serves for every path. */
export function looksLikeHtml(body: string, contentType: string | undefined): boolean {
  return /text\/html/i.test(contentType ?? '') || /^\s*(<!doctype html|<html)/i.test(body);
}

export type HealthLeakKind = 'stack-trace' | 'environment' | 'dependency-versions';

const STACK = /(^|\n|\\n)\s*at (async )?[\w$.<>[\] ]*\(?(\/|file:|node:|[A-Za-z]:\\)[^)\n]*:\d+:\d+\)?/;
/** Variables every container has: two of them in a body means the environment was dumped. */
const ENV_NAMES = ['PATH', 'HOME', 'HOSTNAME', 'NODE_VERSION', 'YARN_VERSION', 'KUBERNETES_SERVICE_HOST', 'KUBERNETES_PORT', 'NODE_ENV', 'npm_config_cache', 'PWD'];
/** Keys of process.versions, or a dependencies map. */
const VERSION_KEYS = /"(v8|uv|zlib|openssl|modules|napi|dependencies|devDependencies)"\s*:/;

export function healthLeaks(body: string): Array<{ kind: HealthLeakKind; excerpt: string }> {
  const out: Array<{ kind: HealthLeakKind; excerpt: string }> = [];
  const around = (i: number) => body.slice(Math.max(0, i - 40), i + 120).replace(/\s+/g, ' ');
  const stack = STACK.exec(body);
  if (stack) out.push({ kind: 'stack-trace', excerpt: around(stack.index) });
  const envHits = ENV_NAMES.map((n) => ({ n, i: body.search(new RegExp(`["']?\\b${n}\\b["']?\\s*[:=]`)) })).filter((h) => h.i >= 0);
  if (envHits.length >= 2) out.push({ kind: 'environment', excerpt: around(envHits[0]!.i) });
  const ver = VERSION_KEYS.exec(body);
  if (ver) out.push({ kind: 'dependency-versions', excerpt: around(ver.index) });
  return out;
}

/** Sealos App Launchpad's own readiness rule (checkReady.ts): these answers mean the ingress has no live backend. */
export function ingressNotReady(status: number, body: string, contentLength: string | undefined): string | null {
  if (status === 404 && contentLength === '0') return 'the ingress answered 404 with an empty body (no backend for this host yet)';
  if (status === 503 && /upstream connect error|upstream not health|no healthy upstream/i.test(body)) return 'the ingress has no healthy upstream (503)';
  return null;
}
