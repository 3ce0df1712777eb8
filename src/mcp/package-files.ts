import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeployError } from '../core/errors.js';

let root: string | undefined;

/**
 * The package root holds `skills/` next to `dist/` (published, bundled) and `src/` (source checkout),
 * so walk up from this module instead of assuming a fixed depth.
 */
function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'skills', 'sealos-deploy'))) return (root = dir);
    dir = dirname(dir);
  }
  throw new DeployError('INTERNAL', 'The sealos-deploy package files (skills/) were not found next to the server.', 'Reinstall the package: npx -y sealos-deploy@latest mcp.');
}

/** A text file shipped in the package, e.g. `skills/sealos-deploy/references/production-checklist.md`. */
export function readPackageText(relativePath: string): Promise<string> {
  return readFile(join(packageRoot(), relativePath), 'utf8');
}
