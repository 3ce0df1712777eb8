import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheDir, openCodeCache, type CacheEnv } from '../../../src/mcp/code-cache.js';

const linux = (env: NodeJS.ProcessEnv = {}): CacheEnv => ({ env, platform: 'linux', home: '/home/ada', uid: process.getuid?.() });

describe('cacheDir', () => {
  it('follows each platform’s convention for per-user caches', () => {
    expect(cacheDir(linux())).toBe('/home/ada/.cache/sealos-deploy');
    expect(cacheDir(linux({ XDG_CACHE_HOME: '/xdg' }))).toBe('/xdg/sealos-deploy');
    expect(cacheDir({ ...linux(), platform: 'darwin' })).toBe('/home/ada/Library/Caches/sealos-deploy');
    expect(cacheDir({ ...linux({ LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }), platform: 'win32' })).toContain('sealos-deploy');
  });

  it('takes SEALOS_DEPLOY_CACHE_DIR, and SEALOS_DEPLOY_CODE_CACHE=0 turns the cache off', () => {
    expect(cacheDir(linux({ SEALOS_DEPLOY_CACHE_DIR: '/elsewhere' }))).toBe('/elsewhere');
    expect(cacheDir(linux({ SEALOS_DEPLOY_CODE_CACHE: '0', SEALOS_DEPLOY_CACHE_DIR: '/elsewhere' }))).toBeNull();
    expect(openCodeCache('abc', linux({ SEALOS_DEPLOY_CODE_CACHE: '0' }))).toBeNull();
  });
});

describe.skipIf(process.platform === 'win32')('openCodeCache', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'code-cache-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));
  const at = (dir: string, uid = process.getuid?.()) => openCodeCache('0123456789abcdef', { ...linux({ SEALOS_DEPLOY_CACHE_DIR: dir }), uid })!;

  it('writes atomically into a private directory and reads the bytes back', () => {
    const dir = join(work, 'nested', 'cache');
    const cache = at(dir);
    expect(cache.read()).toBeUndefined();
    expect(cache.write(Buffer.from('compiled'))).toBe(true);
    expect(cache.read()?.toString()).toBe('compiled');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(cache.file).mode & 0o777).toBe(0o600);
    // The name carries the bundle id, the Node version and the architecture; no temp file is left.
    expect(readdirSync(dir)).toEqual([`mcp-server-0123456789abcdef-${process.version}-${process.arch}.v8cache`]);
  });

  it('refuses a cache directory others can write: planted compiled code would run as the user', () => {
    const dir = join(work, 'shared');
    const cache = at(dir);
    expect(cache.write(Buffer.from('compiled'))).toBe(true);
    chmodSync(dir, 0o777);
    expect(cache.read()).toBeUndefined();
    expect(cache.write(Buffer.from('other'))).toBe(false);
  });

  it('refuses a cache file owned by someone else, and a directory that is a symlink', () => {
    const dir = join(work, 'mine');
    expect(at(dir).write(Buffer.from('compiled'))).toBe(true);
    expect(at(dir, 4242).read()).toBeUndefined();
    const link = join(work, 'link');
    symlinkSync(dir, link);
    expect(at(link).read()).toBeUndefined();
  });

  it('refuses a cache file others can write', () => {
    const dir = join(work, 'c');
    const cache = at(dir);
    cache.write(Buffer.from('compiled'));
    chmodSync(cache.file, 0o666);
    expect(cache.read()).toBeUndefined();
  });

  it('never throws when the directory cannot be created; the server only loses the speed-up', () => {
    const blocker = join(work, 'file');
    writeFileSync(blocker, 'not a directory');
    const cache = at(join(blocker, 'cache'));
    expect(cache.write(Buffer.from('compiled'))).toBe(false);
    expect(cache.read()).toBeUndefined();
  });
});
