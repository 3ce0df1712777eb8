import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../src/cli/command.js';
import { ENDPOINTS_ENV } from '../../../src/sealos/region.js';
import type { FakeRegion } from './server.js';

/** A throwaway HOME, so tests never touch the real ~/.sealos. */
export async function tmpHome(): Promise<{ home: string; cleanup: () => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'sealos-home-'));
  return { home, cleanup: () => rm(home, { recursive: true, force: true }) };
}

/** Env for an in-process CLI run against the fake region (all provider hosts → the fake server). */
export function fakeEnv(region: FakeRegion, home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { HOME: home, [ENDPOINTS_ENV]: region.endpointsJson, ...extra };
}

export interface CapturedIo extends CliIo {
  out: () => string;
  err: () => string;
}

export function captureIo(env: NodeJS.ProcessEnv, cwd = process.cwd()): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    cwd,
    env,
    out: () => out,
    err: () => err,
  };
}

/** Every secret the fake region issued that appears in the text (expected: none). */
export function leakedSecrets(region: FakeRegion, text: string): string[] {
  return region.issuedSecrets().filter((s) => text.includes(s) || text.includes(encodeURIComponent(s)));
}
