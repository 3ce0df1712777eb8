import { describe, expect, it } from 'vitest';
import { blockedInstallScripts } from '../../../src/core/truth/local/checks/setup.js';

describe('blockedInstallScripts (npm install output)', () => {
  it('lists the packages npm 12 blocked', () => {
    const out = [
      'added 152 packages in 23s',
      'npm warn install-scripts 2 packages had install scripts blocked because they are not covered by allowScripts:',
      'npm warn install-scripts   better-sqlite3@11.8.1 (install: prebuild-install || node-gyp rebuild --release)',
      'npm warn install-scripts   @img/sharp-linux-x64@0.33.5 (install: node install.js)',
      'npm warn install-scripts',
      'npm warn install-scripts Run `npm install-scripts ls` to review, or `npm install-scripts approve <pkg>` to allow.',
    ].join('\n');
    expect(blockedInstallScripts(out)).toEqual(['better-sqlite3@11.8.1', '@img/sharp-linux-x64@0.33.5']);
  });

  it("ignores npm 11's advisory list: those scripts ran", () => {
    const out = [
      'npm warn install-scripts 1 package has install scripts not yet covered by allowScripts:',
      'npm warn install-scripts   esbuild@0.28.2 (postinstall: node install.js)',
    ].join('\n');
    expect(blockedInstallScripts(out)).toEqual([]);
    expect(blockedInstallScripts('added 54 packages in 3s')).toEqual([]);
  });

  it('lists the packages pnpm 10 ignored, from its boxed warning, even when the list wraps', () => {
    const box = [
      'Done in 1.2s using pnpm v10.34.9',
      '╭ Warning ─────────────────────────────────────────────────────────────────────╮',
      '│                                                                              │',
      '│   Ignored build scripts: esbuild@0.24.0, better-sqlite3@11.8.1,              │',
      '│   sharp@0.33.5.                                                              │',
      '│   Run "pnpm approve-builds" to pick which dependencies should be allowed     │',
      '│   to run scripts.                                                            │',
      '╰──────────────────────────────────────────────────────────────────────────────╯',
    ].join('\n');
    expect(blockedInstallScripts(box)).toEqual(['esbuild@0.24.0', 'better-sqlite3@11.8.1', 'sharp@0.33.5']);
  });
});

