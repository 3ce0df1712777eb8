// esbuild options shared by the shipped bundles (scripts/build.mjs) and the benchmarks, which measure
// the analyzer as it ships (minified, one file) rather than as tsx runs it from source.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

// The SDK imports Ajv eagerly for elicitation validation only; load it on first use instead (cold start).
const lazyAjv = {
  name: 'lazy-ajv',
  setup(b) {
    b.onResolve({ filter: /validation\/ajv-provider\.js$/ }, (args) =>
      args.importer.includes('@modelcontextprotocol') ? { path: resolve('src/mcp/lazy-ajv-provider.ts') } : undefined,
    );
  },
};

/**
 * A hash of every source file and the package version: it names the analyzer that wrote a scan-cache
 * entry, so a rebuilt analyzer never trusts what an older one concluded (src/system/scan-cache.ts).
 */
export function sourceFingerprint(root = process.cwd()) {
  const h = createHash('sha256');
  h.update(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version ?? '');
  const files = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
  for (const f of files) h.update(`\0${relative(root, f)}\0`).update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

/** ESM bundles that call require() (bundled CommonJS dependencies) get one from createRequire. */
export const ESM_REQUIRE_BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

export function commonBuildOptions(outdir) {
  return {
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    // Parsing is most of what a cold start spends on our code (~1.4 MB of SDK + zod): minified source halves it.
    minify: true,
    external: ['@kubernetes/client-node', 'oxc-parser', 'kubernetes-models', 'execa'],
    plugins: [lazyAjv],
    logLevel: 'warning',
    // Names this analyzer in the scan cache (src/system/scan-cache.ts).
    define: { __SEALOS_SCAN_FINGERPRINT__: JSON.stringify(sourceFingerprint()) },
  };
}
