#!/usr/bin/env node
// The published entry runs the bundled CLI; from a source checkout run `npm run build` first.
// CommonJS (bin/package.json): `mcp` goes straight to the MCP launcher without Node's ESM loader,
// because agents spawn it often and wait for tools/list; the CLI bundle is ESM and is imported.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const mcp = process.argv[2] === 'mcp';
const entry = mcp ? 'mcp.cjs' : 'cli.js';
const bundle = join(__dirname, '..', 'dist', entry);
if (!existsSync(bundle)) {
  process.stderr.write(`error INTERNAL: dist/${entry} is missing\n  next: run "npm run build" in the sealos-deploy checkout.\n`);
  process.exit(2);
}
if (mcp) require(bundle);
else import(require('node:url').pathToFileURL(bundle).href);
