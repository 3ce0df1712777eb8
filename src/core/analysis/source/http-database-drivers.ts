import { evidence, lineMatching, type Evidence } from '../../evidence.js';
import type { Finding } from '../../state/analysis-schema.js';
import { finding, type SourceRun } from './types.js';

/**
 * Clients that reach a hosted database over HTTP or WebSockets, not its wire protocol: Neon's serverless driver (`neon()`,
 * drizzle-orm/neon-http; its Pool over WebSockets), @vercel/postgres built on it, PlanetScale's, Upstash's REST Redis. The
 * PostgreSQL, MySQL or Redis a Sealos template provisions speaks only the protocol: every query fails
 * (vercel/nextjs-postgres-nextauth-tailwindcss-template: `drizzle(neon(process.env.POSTGRES_URL!))`).
 */
const HTTP_DRIVERS: Array<{ module: RegExp; what: string; engine: 'PostgreSQL' | 'MySQL' | 'Redis'; instead: string }> = [
  { module: /^(@neondatabase\/serverless|drizzle-orm\/neon-(http|serverless))$/, what: "Neon's serverless driver", engine: 'PostgreSQL', instead: '`postgres` or `pg` (drizzle-orm/postgres-js, drizzle-orm/node-postgres)' },
  { module: /^(@vercel\/postgres|drizzle-orm\/vercel-postgres)$/, what: '@vercel/postgres', engine: 'PostgreSQL', instead: '`postgres` or `pg` (drizzle-orm/postgres-js, drizzle-orm/node-postgres)' },
  { module: /^(@planetscale\/database|drizzle-orm\/planetscale-serverless)$/, what: "PlanetScale's serverless driver", engine: 'MySQL', instead: '`mysql2` (drizzle-orm/mysql2)' },
  { module: /^@upstash\/redis(\/.*)?$/, what: "Upstash's REST client", engine: 'Redis', instead: '`ioredis` or `redis`' },
];

export function httpDatabaseDriverFindings(run: SourceRun): Finding[] {
  const found = new Map<string, { engine: string; instead: string; ev: Evidence }>();
  for (const s of run.scans)
    for (const src of s.importSources) {
      const d = HTTP_DRIVERS.find((x) => x.module.test(src));
      if (!d || found.has(d.what)) continue;
      found.set(d.what, { engine: d.engine, instead: d.instead, ev: evidence(s.file, lineMatching(s.parsed.text, src), 'http-database-driver', src) });
    }
  if (found.size === 0) return [];
  const list = [...found.entries()];
  return [
    finding(
      'database-http-driver',
      'database',
      'warn',
      `The code reaches its database through ${list.map(([what, d]) => `${what} (HTTP or WebSockets to a hosted ${d.engine})`).join(', ')}: a ${list.map(([, d]) => d.engine).join('/')} the deployment provisions speaks only the wire protocol, so every query would fail.`,
      `Keep the hosted database and set its URL on the deployment, or read it with ${list.map(([, d]) => d.instead).join('; ')}.`,
      list.map(([, d]) => d.ev),
    ),
  ];
}
