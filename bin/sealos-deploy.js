#!/usr/bin/env node
// The published entry runs the bundled CLI; from a source checkout run `npm run build` first.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('error INTERNAL: dist/cli.js is missing\n  next: run "npm run build" in the sealos-deploy checkout.\n');
  process.exit(2);
}
await import(bundle);
