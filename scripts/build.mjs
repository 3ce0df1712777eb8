// Bundles the CLI (dist/cli.js) and the MCP-only entry (dist/mcp.js): one file starts faster than
// hundreds of modules. Heavy or native modules stay external; core modules behind `await import()`
// become lazy chunks, so `mcp` answers tools/list without loading the analyzer or the cluster client.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';

// The SDK imports Ajv eagerly for elicitation validation only; load it on first use instead (cold start).
const lazyAjv = {
  name: 'lazy-ajv',
  setup(b) {
    b.onResolve({ filter: /validation\/ajv-provider\.js$/ }, (args) =>
      args.importer.includes('@modelcontextprotocol') ? { path: resolve('src/mcp/lazy-ajv-provider.ts') } : undefined,
    );
  },
};

// `node scripts/build.mjs [outdir]`: tests build a private copy so they never race on dist/.
const outdir = process.argv[2] ?? 'dist';
// Chunk names carry content hashes: start clean so stale chunks never ship.
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli/entry.ts', mcp: 'src/mcp/entry.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Parsing is most of what a cold start spends on our code (~1.4 MB of SDK + zod): minified source halves it.
  minify: true,
  external: ['@kubernetes/client-node', 'oxc-parser', 'kubernetes-models', 'execa'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  plugins: [lazyAjv],
  logLevel: 'warning',
});
