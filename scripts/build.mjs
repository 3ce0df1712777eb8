// Bundles the CLI and MCP server into dist/cli.js: one file starts faster than hundreds of modules.
// Heavy or native modules stay external and are loaded lazily on first use.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'src/cli/entry.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external: ['@kubernetes/client-node', 'oxc-parser', 'kubernetes-models', 'execa'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
