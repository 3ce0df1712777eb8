import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPrivateBundle } from '../../support/bundle.js';

// `sealos-deploy --help` in a CI script must not load the cluster client, the parser or the analyzer:
// each command loads its heavy modules with `await import()` inside `run`, which esbuild turns into
// lazy chunks. This walks the bundle graph the way Node loads it at start-up (static imports only).

const root = resolve(import.meta.dirname, '../../..');
const HEAVY_EXTERNALS = ['@kubernetes/client-node', 'oxc-parser', 'kubernetes-models', 'execa'];
const HEAVY_INPUTS = [/(^|\/)node_modules\/yaml\//, /^src\/core\/analysis\//];

/** The same graph scripts/build.mjs ships for the cli entry (no minify/sourcemap: they do not change edges). */
async function cliMetafile(): Promise<Metafile> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { cli: 'src/cli/entry.ts' },
    outdir: join(root, 'node_modules', '.cache', 'startup-imports-unwritten'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: HEAVY_EXTERNALS,
    plugins: [
      {
        // scripts/build.mjs swaps the SDK's eager Ajv provider for a lazy one; keep the graph identical.
        name: 'lazy-ajv',
        setup(b) {
          b.onResolve({ filter: /validation\/ajv-provider\.js$/ }, (args) =>
            args.importer.includes('@modelcontextprotocol') ? { path: join(root, 'src/mcp/lazy-ajv-provider.ts') } : undefined,
          );
        },
      },
    ],
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  return result.metafile;
}

/** Outputs, externals and inputs Node loads before `main` runs: the closure of static import edges. */
function staticClosure(meta: Metafile): { externals: Set<string>; inputs: Set<string> } {
  const entry = Object.keys(meta.outputs).find((o) => meta.outputs[o]?.entryPoint === 'src/cli/entry.ts');
  if (!entry) throw new Error('no output for src/cli/entry.ts in the metafile');
  const seen = new Set<string>();
  const externals = new Set<string>();
  const inputs = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const out = queue.pop() as string;
    if (seen.has(out)) continue;
    seen.add(out);
    const o = meta.outputs[out];
    if (!o) continue;
    for (const i of Object.keys(o.inputs)) inputs.add(i);
    for (const imp of o.imports) {
      if (imp.kind !== 'import-statement') continue;
      if (imp.external) externals.add(imp.path);
      else queue.push(imp.path);
    }
  }
  return { externals, inputs };
}

describe('CLI start-up', () => {
  let meta: Metafile;
  let bundle: ReturnType<typeof buildPrivateBundle>;
  beforeAll(async () => {
    meta = await cliMetafile();
    bundle = buildPrivateBundle('cli-help');
  }, 60_000);
  afterAll(() => bundle?.remove());

  it('statically loads none of the heavy modules; commands load them when they run', () => {
    const { externals, inputs } = staticClosure(meta);
    expect([...externals].filter((e) => HEAVY_EXTERNALS.some((h) => e === h || e.startsWith(h + '/')))).toEqual([]);
    expect([...inputs].filter((i) => HEAVY_INPUTS.some((re) => re.test(i)))).toEqual([]);
    // They are still in the bundle, behind dynamic imports: the guard above is not vacuous.
    const all = Object.values(meta.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
    expect(all).toEqual(expect.arrayContaining(['@kubernetes/client-node', 'oxc-parser', 'execa']));
    expect(Object.keys(meta.inputs).some((i) => i.startsWith('src/core/analysis/'))).toBe(true);
  });

  /** Runs the bundled CLI; help must exit 0 with the text on stdout and nothing on stderr. */
  function help(...args: string[]): string {
    const r = spawnSync(process.execPath, [join(bundle.dir, 'cli.js'), ...args], { cwd: root, encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    return r.stdout;
  }

  it('prints the command list and a command\'s options from the shipped bundle', () => {
    const top = help('--help');
    expect(top).toContain('Usage: sealos-deploy <command> [dir] [options]');
    for (const name of ['analyze', 'rehearse', 'build', 'render', 'deploy', 'verify', 'rollback', 'mcp']) expect(top).toMatch(new RegExp(`^  ${name} `, 'm'));
    const analyze = help('analyze', '--help');
    expect(analyze).toContain('Usage: sealos-deploy analyze [dir] [--path <unit>] [--json] [--no-write]');
    expect(analyze).toContain('--strict       exit 1 when any finding fails');
    // Defaults shown in usage come from the leaf constant modules, unchanged.
    const rehearse = help('rehearse', '--help');
    expect(rehearse).toContain('time budget for the whole rehearsal (default 300)');
    const verify = help('verify', '--help');
    expect(verify).toContain('(default 60)');
    expect(help('build', '--help')).toContain('and .sealos/build/build-result.json (success or failed).');
  });

  it('loads a command\'s modules from its lazy chunks when it runs', () => {
    const app = join(root, 'test/fixtures/apps/express-basic');
    const r = spawnSync(process.execPath, [join(bundle.dir, 'cli.js'), 'analyze', app, '--no-write', '--json'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'server', framework: { name: 'express' } });
  });

  it('keeps token-level scans between analyses of a checkout: the build names its analyzer', () => {
    const app = join(mkdtempSync(join(tmpdir(), 'cli-scan-cache-')), 'app');
    const cache = mkdtempSync(join(tmpdir(), 'cli-scan-cache-dir-'));
    try {
      cpSync(join(root, 'test/fixtures/apps/express-port-const-other-file'), app, { recursive: true });
      for (const args of [['init', '-q'], ['add', '-A'], ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init']]) execFileSync('git', args, { cwd: app, stdio: 'pipe' });
      const analyze = (env: Record<string, string> = {}) => {
        const r = spawnSync(process.execPath, [join(bundle.dir, 'cli.js'), 'analyze', app, '--no-write', '--json'], { cwd: root, encoding: 'utf8', env: { ...process.env, SEALOS_DEPLOY_CACHE_DIR: cache, ...env } });
        expect(r.status, r.stderr).toBe(0);
        const { stats, generated_at: _, ...facts } = JSON.parse(r.stdout) as { stats: { files_cached: number }; generated_at: string };
        return { stats, facts };
      };
      const first = analyze();
      const again = analyze();
      expect(first.stats.files_cached).toBe(0);
      expect(again.stats.files_cached).toBeGreaterThan(0);
      expect(again.facts).toEqual(first.facts);
      expect(analyze({ SEALOS_DEPLOY_SCAN_CACHE: '0' }).stats.files_cached).toBe(0);
    } finally {
      rmSync(dirname(app), { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
