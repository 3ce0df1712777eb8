import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

const lock = (packages: Record<string, object>) => JSON.stringify({ name: 'svc', lockfileVersion: 3, requires: true, packages: { '': { name: 'svc' }, ...packages } });
const pkg = (extra: object = {}) => JSON.stringify({ name: 'svc', scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.0', 'better-sqlite3': '^11.0.0' }, ...extra });
const server = "require('express')().listen(process.env.PORT || 3000);\n";
const finding = (files: Record<string, string>) => analyzeRepo(memoryRepo(files, { tracked: true }), {}).findings.find((f) => f.id === 'install-scripts');

describe('install scripts and npm allowScripts', () => {
  const scripted = {
    'node_modules/express': { version: '4.21.0' },
    'node_modules/better-sqlite3': { version: '11.0.0', hasInstallScript: true },
    'node_modules/foo/node_modules/@img/sharp': { version: '0.33.0', hasInstallScript: true },
  };

  it('warns, naming every dependency whose install script no allowScripts entry decides', () => {
    const f = finding({ 'package.json': pkg(), 'package-lock.json': lock(scripted), 'server.js': server });
    expect(f).toMatchObject({ status: 'warn', fix: expect.stringContaining('npm install-scripts approve @img/sharp better-sqlite3') });
    expect(f?.message).toMatch(/^2 dependencies run install scripts that npm 12 blocks unless package.json allowScripts lists them: @img\/sharp, better-sqlite3\./);
  });

  it('leaves out packages a linux/amd64 image never installs (fsevents is darwin-only)', () => {
    const f = finding({ 'package.json': pkg(), 'package-lock.json': lock({ ...scripted, 'node_modules/fsevents': { version: '2.3.3', hasInstallScript: true, optional: true, os: ['darwin'] }, 'node_modules/@esbuild/win32-x64': { hasInstallScript: true, os: ['win32'] }, 'node_modules/arm-only': { hasInstallScript: true, cpu: ['arm64'] }, 'node_modules/not-windows': { hasInstallScript: true, os: ['!win32'] } }), 'server.js': server });
    expect(f?.message).toMatch(/^3 dependencies run install scripts .*: @img\/sharp, better-sqlite3, not-windows\./);
  });

  it('passes when allowScripts decides each of them (allowed, pinned or denied)', () => {
    const policy = { allowScripts: { 'better-sqlite3@11.0.0': true, '@img/sharp': false } };
    expect(finding({ 'package.json': pkg(policy), 'package-lock.json': lock(scripted), 'server.js': server })).toMatchObject({ status: 'pass' });
    const partial = finding({ 'package.json': pkg({ allowScripts: { 'better-sqlite3': true } }), 'package-lock.json': lock(scripted), 'server.js': server });
    expect(partial?.message).toMatch(/^1 dependency runs an install script .*: @img\/sharp\./);
  });

  it('passes with no install scripts, and says nothing for other package managers or a v1 lockfile', () => {
    expect(finding({ 'package.json': pkg(), 'package-lock.json': lock({ 'node_modules/express': {} }), 'server.js': server })).toMatchObject({ status: 'pass', message: 'No dependency runs an install script.' });
    expect(finding({ 'package.json': pkg(), 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n", 'server.js': server })).toBeUndefined();
    expect(finding({ 'package.json': pkg(), 'package-lock.json': JSON.stringify({ lockfileVersion: 1, dependencies: {} }), 'server.js': server })).toBeUndefined();
  });

  it('reads the policy next to the lockfile: the workspace root for a monorepo unit', () => {
    const files = {
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['apps/*'], allowScripts: { 'better-sqlite3': true } }),
      'package-lock.json': lock({ 'node_modules/better-sqlite3': { hasInstallScript: true }, 'apps/api': { name: 'api' } }),
      'apps/api/package.json': pkg(),
      'apps/api/server.js': server,
    };
    const f = analyzeRepo(memoryRepo(files, { tracked: true }), { path: 'apps/api' }).findings.find((x) => x.id === 'install-scripts');
    expect(f).toMatchObject({ status: 'pass', message: expect.stringContaining('allowScripts in package.json') });
  });
});
