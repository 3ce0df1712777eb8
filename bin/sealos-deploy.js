#!/usr/bin/env node
// The published entry runs the bundled CLI; from a source checkout run `npm run build` first.
// `mcp` goes straight to the MCP-only bundle: agents spawn it often and wait for tools/list.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = process.argv[2] === 'mcp' ? 'mcp.js' : 'cli.js';
const bundle = fileURLToPath(new URL(`../dist/${entry}`, import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(`error INTERNAL: dist/${entry} is missing\n  next: run "npm run build" in the sealos-deploy checkout.\n`);
  process.exit(2);
}
await import(bundle);
