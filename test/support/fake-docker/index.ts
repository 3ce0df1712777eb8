import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'docker');

export interface FakeDockerCall {
  argv: string[];
  stdin: string | null;
}

export interface FakeDocker {
  /** Directory holding the `docker` executable; prepend it to PATH. */
  binDir: string;
  /** Environment for the programs under test: PATH with the fake first, the log file set. */
  env: Record<string, string>;
  calls(): FakeDockerCall[];
  cleanup(): void;
}

/**
 * Installs the fake `docker` into a fresh temp directory (outside the repo, so node runs it as
 * CommonJS) and returns an environment that puts it first on PATH. `behaviour` sets FAKE_DOCKER_* switches.
 */
export function installFakeDocker(behaviour: Record<string, string> = {}): FakeDocker {
  const binDir = mkdtempSync(join(tmpdir(), 'fake-docker-'));
  const target = join(binDir, 'docker');
  copyFileSync(SCRIPT, target);
  chmodSync(target, 0o755);
  const log = join(binDir, 'calls.jsonl');
  const env = { PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}`, FAKE_DOCKER_LOG: log, ...behaviour };
  return {
    binDir,
    env,
    calls: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as FakeDockerCall)
        : [],
    cleanup: () => rmSync(binDir, { recursive: true, force: true }),
  };
}
