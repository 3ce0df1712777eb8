import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/ports.js';
import { parseStateText, recordRelease } from '../../../src/core/state/store.js';
import { RENAME_DELAY_ENV, nodeStateIo } from '../../../src/system/atomic-file.js';
import { truthFor } from '../../unit/state/helpers.js';
import { startChild } from './spawn.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'state-crash-'));
  const image = 'ghcr.io/acme/web:v1';
  await recordRelease(
    dir,
    {
      action: 'deploy',
      image,
      target: { app_name: 'web', app_host: 'web-h', namespace: 'ns-abc12345', region: 'usw-1.sealos.io', repo_name: 'web', docker_hub_user: null, url: 'https://web-h.usw-1.sealos.app' },
    },
    truthFor({ app_name: 'web', namespace: 'ns-abc12345', image, url: 'https://web-h.usw-1.sealos.app' }),
    { io: nodeStateIo(), clock: systemClock },
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('killing a writer mid-write', () => {
  it('state.json is always the old or the new complete document, never truncated', async () => {
    // ~100 KB notes make each document hundreds of KB; the hook holds the finished temp file 500 ms before rename.
    const child = startChild(['append', dir, '50', 'K', '100000'], { [RENAME_DELAY_ENV]: '500' });
    await child.waitFor(/^writing 3$/);
    // Wait until the 3rd record's state.json temp file exists (not the .bak one), then kill inside its window.
    const stateTmp = /^\.state\.json\.\d+\.[0-9a-f]+\.tmp$/;
    while (!(await readdir(dir)).some((f) => stateTmp.test(f))) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    child.proc.kill('SIGKILL');
    const { signal } = await child.exited;
    expect(signal).toBe('SIGKILL');

    const text = await readFile(join(dir, 'state.json'), 'utf8');
    const parsed = parseStateText(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const notes = parsed.state.history.slice(1).map((e) => /^K-\d+/.exec(e.note!)?.[0]);
    // The killed 3rd record never replaced the document: exactly the two completed records remain.
    expect(notes).toEqual(['K-1', 'K-2']);
    // The kill really hit an unfinished write: its temp file is still there, state.json was never touched by it.
    const leftovers = (await readdir(dir)).filter((f) => f.endsWith('.tmp'));
    expect(leftovers).toEqual([expect.stringMatching(stateTmp)]);
    // The backup is a complete document too.
    expect(parseStateText(await readFile(join(dir, 'state.json.bak'), 'utf8')).ok).toBe(true);
  });
});
