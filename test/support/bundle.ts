import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/**
 * Builds the shipped bundles (scripts/build.mjs) from the current sources into a private directory,
 * so e2e tests test what ships without racing each other on dist/. It sits under node_modules/ so
 * the externals (@kubernetes/client-node, oxc-parser, …) resolve as they do from dist/.
 */
export function buildPrivateBundle(name: string): { dir: string; remove: () => void } {
  const dir = join(root, 'node_modules', '.cache', `sealos-deploy-${name}-${process.pid}`);
  execFileSync(process.execPath, ['scripts/build.mjs', dir], { cwd: root, stdio: 'pipe' });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
