// dist/mcp.cjs: starts the MCP server bundle (dist/mcp-server.cjs) through a V8 code cache, so a
// spawn → tools/list round trip skips compiling the SDK, zod and our tools on every start after the
// first. Same arguments, output and exit codes as `sealos-deploy mcp`. CommonJS, like the bin that
// requires it: the whole `mcp` path then starts without Node's ESM loader.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { openCodeCache } from './code-cache.js';

/** sha256 prefix of dist/mcp-server.cjs, set by scripts/build.mjs. */
declare const __MCP_SERVER_BUNDLE_ID__: string;

// Written once the server has answered its first requests, so the cache holds the code they ran.
const WRITE_CACHE_AFTER_MS = 1_000;

const debug = process.env.SEALOS_DEPLOY_DEBUG?.split(',').includes('code-cache')
  ? (line: string) => process.stderr.write(`code-cache: ${line}\n`)
  : () => {};

const bundle = join(__dirname, 'mcp-server.cjs');
let source: string;
try {
  source = readFileSync(bundle, 'utf8');
} catch (err) {
  process.stderr.write(`error INTERNAL: cannot read ${bundle} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})\n  next: run "npm run build" in the sealos-deploy checkout, or reinstall the package.\n`);
  process.exit(2);
}

const cache = openCodeCache(__MCP_SERVER_BUNDLE_ID__);
const cachedData = cache?.read();
// The CommonJS wrapper, with the body starting on line 2 and lineOffset -1, so stack traces keep the bundle's positions.
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`, {
  filename: bundle,
  lineOffset: -1,
  cachedData,
});
debug(cachedData ? (script.cachedDataRejected ? `rejected ${cache?.file}` : `hit ${cache?.file}`) : `miss ${cache?.file ?? '(disabled)'}`);
if (cache && (!cachedData || script.cachedDataRejected)) {
  setTimeout(() => debug(`${cache.write(script.createCachedData()) ? 'wrote' : 'could not write'} ${cache.file}`), WRITE_CACHE_AFTER_MS).unref();
}

const mod: { exports: { main?: (argv: string[]) => Promise<number> } } = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(mod.exports, createRequire(bundle), mod, bundle, dirname(bundle));
void mod.exports.main!(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
