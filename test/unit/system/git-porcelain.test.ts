import { describe, expect, it } from 'vitest';
import { parsePorcelainZ } from '../../../src/core/git-porcelain.js';

describe('parsePorcelainZ', () => {
  it('reads status letters and top-relative paths, with the source of renames and copies in either column', () => {
    const out = [' M svc/a.ts', 'R  svc/new.ts', 'svc/old.ts', ' R svc/itn.ts', 'svc/itn-src.ts', 'C  b.ts', 'a.ts', '?? svc/has space.ts', 'UU x.ts', ''].join('\0');
    expect(parsePorcelainZ(out)).toEqual([
      { x: ' ', y: 'M', path: 'svc/a.ts', from: null },
      { x: 'R', y: ' ', path: 'svc/new.ts', from: 'svc/old.ts' },
      { x: ' ', y: 'R', path: 'svc/itn.ts', from: 'svc/itn-src.ts' },
      { x: 'C', y: ' ', path: 'b.ts', from: 'a.ts' },
      { x: '?', y: '?', path: 'svc/has space.ts', from: null },
      { x: 'U', y: 'U', path: 'x.ts', from: null },
    ]);
    expect(parsePorcelainZ('')).toEqual([]);
  });
});
