// Bundles the CLI (dist/cli.js) and the MCP server (dist/mcp.js + dist/mcp-server.cjs): one file
// starts faster than hundreds of modules. Heavy or native modules stay external and load on first use.
//   cli.js          ESM with code splitting: each command's modules are lazy chunks.
//   mcp-server.cjs  the MCP server alone, CommonJS so V8 can cache its compiled code (Node 20 caches
//                   no ESM); core modules behind `await import()` stay uninitialised until a tool runs.
//   mcp.cjs         the launcher: compiles mcp-server.cjs with the per-user code cache (src/mcp/launcher.ts);
//                   mcp.js forwards to it for hosts configured with that path.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { commonBuildOptions, ESM_REQUIRE_BANNER } from './build-options.mjs';

// `node scripts/build.mjs [outdir]`: tests build a private copy so they never race on dist/.
const outdir = process.argv[2] ?? 'dist';
// Chunk names carry content hashes: start clean so stale chunks never ship.
rmSync(outdir, { recursive: true, force: true });

const common = commonBuildOptions(outdir);

await build({
  ...common,
  entryPoints: { cli: 'src/cli/entry.ts' },
  splitting: true,
  format: 'esm',
  banner: { js: ESM_REQUIRE_BANNER },
});

await build({
  ...common,
  entryPoints: { 'mcp-server': 'src/mcp/main.ts' },
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  // import() of an external becomes require(): a vm.Script may not import() without an experimental
  // flag on Node 20, and require() of ESM (execa, the cluster client) is stable and silent from 20.19.
  supported: { 'dynamic-import': false },
  define: { ...common.define, 'import.meta.url': '__import_meta_url' },
  banner: { js: "var __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
});

// The launcher names its cache after the bundle's bytes: a rebuilt bundle never meets stale compiled code.
const bundleId = createHash('sha256').update(readFileSync(join(outdir, 'mcp-server.cjs'))).digest('hex').slice(0, 16);
await build({
  ...common,
  entryPoints: { mcp: 'src/mcp/launcher.ts' },
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { ...common.define, __MCP_SERVER_BUNDLE_ID__: JSON.stringify(bundleId) },
});
// `node dist/mcp.js` keeps working for hosts configured with that path (the launcher is mcp.cjs).
writeFileSync(join(outdir, 'mcp.js'), "import { createRequire } from 'node:module';\ncreateRequire(import.meta.url)('./mcp.cjs');\n");

// tools/list as the SDK computes it, asked of the server just built; the bundled server serves this
// snapshot instead of converting every zod schema on each start (src/mcp/tool-list-snapshot.ts).
const requests = [
  { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'build', version: '0' } } },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
  { jsonrpc: '2.0', id: 2, method: 'tools/list' },
];
const answers = execFileSync(process.execPath, [join(outdir, 'mcp.cjs')], {
  input: requests.map((r) => JSON.stringify(r)).join('\n') + '\n',
  env: { ...process.env, SEALOS_DEPLOY_CODE_CACHE: '0' },
  encoding: 'utf8',
  timeout: 60_000,
});
const list = answers.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((m) => m.id === 2);
if (!Array.isArray(list?.result?.tools) || list.result.tools.length === 0) throw new Error(`build: the MCP server did not list its tools: ${answers.slice(0, 500)}`);
writeFileSync(join(outdir, 'mcp-tools.json'), JSON.stringify({ tools: list.result.tools }));
