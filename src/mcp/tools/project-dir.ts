import { resolve } from 'node:path';
import { z } from 'zod';

/** Every tool names the project explicitly: MCP servers do not reliably start in the user's project (Codex plugins). */
export const projectDirArg = z
  .string()
  .min(1)
  .max(4096)
  .describe('Absolute path of the project checkout (the directory with package.json, or the monorepo root).');

/** Relative paths resolve against the server's working directory, which is the user's project in Claude Code. */
export function resolveProjectDir(dir: string): string {
  return resolve(dir);
}
