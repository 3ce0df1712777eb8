import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../../src/core/shell-word.js';
import { renderProject } from '../../../src/ops/render.js';

describe('shellWord', () => {
  it('leaves plain paths as they are and single-quotes the rest', () => {
    expect(shellWord('/home/me/svc')).toBe('/home/me/svc');
    expect(shellWord('packages/api-v2')).toBe('packages/api-v2');
    expect(shellWord('/home/me/my service')).toBe("'/home/me/my service'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
    expect(shellWord('$(rm -rf ~)')).toBe("'$(rm -rf ~)'");
    expect(shellWord('')).toBe("''");
  });

  it('is how next steps name a directory with a space', async () => {
    const root = mkdtempSync(join(tmpdir(), 'shell-word-'));
    const dir = join(root, 'my service');
    mkdirSync(dir);
    try {
      await expect(renderProject(dir, {})).rejects.toMatchObject({ code: 'ARTIFACT_MISSING', next: `Run "sealos-deploy analyze '${dir}'" first, then render again.` });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
