import { evidence, lineMatching, type Evidence } from '../../evidence.js';
import type { Finding } from '../../state/analysis-schema.js';
import { finding, type SourceRun } from './types.js';

/**
 * PostgreSQL clients that reach a hosted database over HTTP or WebSockets, not the wire protocol: Neon's serverless driver
 * (`neon()`, drizzle-orm/neon-http; its Pool over WebSockets) and @vercel/postgres built on it. The PostgreSQL a Sealos
 * template provisions, and wires the service's URL variable to, speaks only the protocol: every query fails
 * (vercel/nextjs-postgres-nextauth-tailwindcss-template: `drizzle(neon(process.env.POSTGRES_URL!))`). Other engines are
 * not provisioned: the URL the user gives may be the hosted service's (Upstash's REST Redis).
 */
const HTTP_DRIVERS: Array<{ module: RegExp; what: string; engine: 'PostgreSQL'; instead: string }> = [
  { module: /^(@neondatabase\/serverless|drizzle-orm\/neon-(http|serverless))$/, what: "Neon's serverless driver", engine: 'PostgreSQL', instead: '`postgres` or `pg` (drizzle-orm/postgres-js, drizzle-orm/node-postgres)' },
  { module: /^(@vercel\/postgres|drizzle-orm\/vercel-postgres)$/, what: '@vercel/postgres', engine: 'PostgreSQL', instead: '`postgres` or `pg` (drizzle-orm/postgres-js, drizzle-orm/node-postgres)' },
];

/** `provisioned`: the deployment provisions PostgreSQL (the analysis found one). */
export function httpDatabaseDriverFindings(run: SourceRun, provisioned: boolean): Finding[] {
  if (!provisioned) return [];
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
      `The code reaches its database through ${list.map(([what]) => what).join(' and ')} (HTTP or WebSockets to a hosted PostgreSQL): the PostgreSQL the deployment provisions speaks only the wire protocol, so every query would fail.`,
      `Keep the hosted database and set its URL on the deployment, or read it with ${list[0]![1].instead}.`,
      list.map(([, d]) => d.ev),
    ),
  ];
}
