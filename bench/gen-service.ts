// Generates a realistic large Node.js service (or a monorepo of packages) in a temp git repo for benchmarks.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execaRunner } from '../src/system/runner.js';

function routeFile(i: number): string {
  return `import { Router } from 'express';
import { db } from '../db/pool.js';

const router = Router();
const LIMIT = Number(process.env.PAGE_LIMIT_${i % 50} ?? 50);

router.get('/items-${i}', async (req, res) => {
  const rows = await db.query('select * from items_${i} limit $1', [LIMIT]);
  res.json(rows.rows.map((r) => ({ id: r.id, name: r.name, value: r.value * ${i} })));
});

router.post('/items-${i}', async (req, res) => {
  const { name, value } = req.body ?? {};
  if (typeof name !== 'string') return res.status(400).json({ error: 'name required' });
  await db.query('insert into items_${i}(name, value) values ($1, $2)', [name, value]);
  res.status(201).end();
});

export default router;
`;
}

function serviceFile(i: number): string {
  return `export interface Thing${i} { id: number; label: string; tags: string[] }

export function normalise${i}(input: Partial<Thing${i}>): Thing${i} {
  const label = (input.label ?? '').trim().toLowerCase();
  const tags = Array.from(new Set(input.tags ?? [])).sort();
  return { id: input.id ?? ${i}, label, tags };
}

export async function load${i}(fetcher: (id: number) => Promise<Thing${i}>): Promise<Thing${i}[]> {
  const out: Thing${i}[] = [];
  for (let k = 0; k < 3; k++) out.push(normalise${i}(await fetcher(k)));
  return out;
}
`;
}

const SERVER = `import express from 'express';
import pino from 'pino-http';
import { PORT } from './config.js';

const app = express();
app.use(pino());
app.get('/healthz', (_req, res) => res.json({ ok: true }));
const server = app.listen(PORT, '0.0.0.0', () => console.log(\`listening on port \${PORT}\`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

async function git(dir: string, args: string[]): Promise<void> {
  const r = await execaRunner.run('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', ...args], { cwd: dir });
  if (r.exitCode !== 0) throw new Error(r.stderr);
}

function writePackage(dir: string, name: string, files: number): void {
  mkdirSync(join(dir, 'src/routes'), { recursive: true });
  mkdirSync(join(dir, 'src/services'), { recursive: true });
  mkdirSync(join(dir, 'src/db'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, type: 'module', scripts: { build: 'tsc', start: 'node dist/server.js' }, dependencies: { express: '^4.21.0', pg: '^8.12.0', 'pino-http': '^10.0.0' }, engines: { node: '>=22' } }, null, 2));
  writeFileSync(join(dir, 'src/server.ts'), SERVER);
  writeFileSync(join(dir, 'src/config.ts'), "export const PORT = Number(process.env.PORT ?? 8080);\n");
  writeFileSync(join(dir, 'src/db/pool.ts'), "import pg from 'pg';\nexport const db = new pg.Pool({ connectionString: process.env.DATABASE_URL });\n");
  for (let i = 0; i < files - 4; i++) {
    const sub = i % 2 ? 'routes' : 'services';
    const bucket = join(dir, 'src', sub, `m${Math.floor(i / 500)}`);
    if (i % 500 < 2) mkdirSync(bucket, { recursive: true });
    writeFileSync(join(bucket, `f${i}.ts`), i % 2 ? routeFile(i) : serviceFile(i));
  }
}

/** A single service with `files` source files, committed to git. */
export async function generateService(root: string, files: number): Promise<void> {
  mkdirSync(root, { recursive: true });
  writePackage(root, 'bench-service', files);
  writeFileSync(join(root, 'package-lock.json'), JSON.stringify({ name: 'bench-service', lockfileVersion: 3, requires: true, packages: { '': { name: 'bench-service' } } }));
  await git(root, ['init', '-q']);
  await git(root, ['add', '-A']);
  await git(root, ['commit', '-qm', 'bench']);
}

/** A workspace of `packages` packages sharing `files` source files in total. */
export async function generateMonorepo(root: string, packages: number, files: number): Promise<void> {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'bench-mono', private: true, workspaces: ['packages/*'] }, null, 2));
  writeFileSync(join(root, 'package-lock.json'), JSON.stringify({ name: 'bench-mono', lockfileVersion: 3, requires: true, packages: { '': { name: 'bench-mono' } } }));
  for (let p = 0; p < packages; p++) writePackage(join(root, 'packages', `svc-${p}`), `svc-${p}`, Math.floor(files / packages));
  await git(root, ['init', '-q']);
  await git(root, ['add', '-A']);
  await git(root, ['commit', '-qm', 'bench']);
}
