import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { DeployError } from '../core/errors.js';

/** Shortest bearer token accepted: guessable tokens make a network-facing server an open door. */
const MIN_TOKEN_LENGTH = 16;

/** `[::1]` → `::1`, lower-cased: the form every comparison below uses. */
const bare = (host: string) => host.replace(/^\[|\]$/g, '').toLowerCase();

function isLoopback(host: string): boolean {
  const h = bare(host);
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

function isWildcard(host: string): boolean {
  const h = bare(host);
  return h === '0.0.0.0' || h === '::';
}

/** Refuses, before listening, any bind that would expose an unauthenticated server to the network. */
export function checkBind(host: string, token: string | undefined): void {
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new DeployError('USAGE', `The MCP bearer token is shorter than ${MIN_TOKEN_LENGTH} characters.`, 'Generate one with `openssl rand -hex 32` into the --token-file (or SEALOS_DEPLOY_MCP_TOKEN).');
  }
  if (!isLoopback(host) && token === undefined) {
    throw new DeployError(
      'USAGE',
      `Refusing to serve MCP on ${host} without a bearer token: anyone who can reach it could deploy to your cluster.`,
      'Bind 127.0.0.1 (the default), or pass --token-file <file> or set SEALOS_DEPLOY_MCP_TOKEN (never put the token on the command line).',
    );
  }
}

/**
 * Host names a legitimate client uses to reach us. A browser tricked by DNS rebinding sends the
 * attacker's name in Host (and Origin), so anything else is refused.
 */
export function allowedHostnames(bindHost: string, extra: string[] = []): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '::1', ...extra.map((h) => h.toLowerCase())]);
  const bound = bare(bindHost);
  if (isWildcard(bound)) {
    for (const addrs of Object.values(networkInterfaces())) for (const a of addrs ?? []) names.add(a.address.toLowerCase());
  } else names.add(bound);
  return names;
}

/** The host part of a Host header or URL authority: `[::1]:80` → `::1`, `example.com:80` → `example.com`. */
export function hostnameOf(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith('[')) return a.slice(1, a.indexOf(']'));
  const colon = a.lastIndexOf(':');
  return colon > -1 && a.indexOf(':') === colon ? a.slice(0, colon) : a;
}

/** Null when the request may proceed, else the status and reason to refuse it. */
export function checkRequestOrigin(headers: { host?: string | undefined; origin?: string | undefined }, allowed: Set<string>): { status: number; reason: string } | null {
  if (!headers.host || !allowed.has(hostnameOf(headers.host))) return { status: 403, reason: `Host "${headers.host ?? ''}" is not allowed` };
  if (headers.origin !== undefined) {
    let host: string;
    try {
      host = bare(new URL(headers.origin).hostname);
    } catch {
      return { status: 403, reason: 'Origin is malformed' };
    }
    if (!allowed.has(host)) return { status: 403, reason: `Origin "${headers.origin}" is not allowed` };
  }
  return null;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison of `Authorization: Bearer <token>`; hashing first equalizes the lengths. */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  return timingSafeEqual(digest(m?.[1]?.trim() ?? ''), digest(token)) && m !== null;
}
