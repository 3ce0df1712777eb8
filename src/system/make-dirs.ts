// `mkdir -p` without Node's `{ recursive: true }`: on Node 20 that never returns for a path under
// /proc (mkdir answers ENOENT with the parent present, and the recursion retries forever), so a cache
// or state directory set to such a path would hang the command. Here each missing component is made
// once, parents first, and any error other than "already there" ends it with that error.
import { existsSync, mkdirSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

const alreadyThere = (err: unknown) => (err as NodeJS.ErrnoException).code === 'EEXIST';

export function makeDirsSync(dir: string, mode?: number): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d, mode === undefined ? undefined : { mode });
    } catch (err) {
      if (!alreadyThere(err)) throw err;
    }
  }
}

export async function makeDirs(dir: string, mode?: number): Promise<void> {
  const exists = (p: string) => stat(p).then(() => true, () => false);
  const missing: string[] = [];
  for (let d = resolve(dir); !(await exists(d)); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      await mkdir(d, mode === undefined ? undefined : { mode });
    } catch (err) {
      if (!alreadyThere(err)) throw err;
    }
  }
}
