import { existsSync, lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../../src/version.js';
import { ClaudeMarketplace, ClaudePlugin, CodexMarketplace, CodexPlugin, McpJson } from './manifest-schemas.js';

const root = resolve(import.meta.dirname, '../../..');
const json = (rel: string): unknown => JSON.parse(readFileSync(join(root, rel), 'utf8'));
const pkg = json('package.json') as { name: string; version: string; files: string[] };

function expectExists(base: string, rel: string): void {
  expect(existsSync(join(base, rel)), `${rel} (from ${base})`).toBe(true);
}

describe('Claude Code plugin', () => {
  const plugin = ClaudePlugin.parse(json('.claude-plugin/plugin.json'));
  const market = ClaudeMarketplace.parse(json('.claude-plugin/marketplace.json'));

  it('matches the package name and version', () => {
    expect(plugin.name).toBe(pkg.name);
    expect(plugin.version).toBe(pkg.version);
    expect(market.metadata?.version).toBe(pkg.version);
    expect(market.plugins.map((p) => [p.name, p.version])).toEqual([[pkg.name, pkg.version]]);
  });

  it('points only at paths that exist, and leaves .mcp.json to the default location', () => {
    // Claude Code loads the plugin root's .mcp.json by default; the manifest does not name it a second time.
    expect(plugin.mcpServers).toBeUndefined();
    expectExists(root, '.mcp.json');
    for (const p of [plugin.commands, plugin.skills].flat()) if (typeof p === 'string') expectExists(root, p);
    for (const skill of [plugin.skills].flat()) if (skill) expectExists(root, join(skill, 'SKILL.md'));
    for (const p of market.plugins) if (typeof p.source === 'string') expectExists(root, join(p.source, '.claude-plugin/plugin.json'));
  });
});

describe('Codex plugin', () => {
  const plugin = CodexPlugin.parse(json('.codex-plugin/plugin.json'));
  const market = CodexMarketplace.parse(json('.agents/plugins/marketplace.json'));

  it('matches the package name and version and has the App menu interface', () => {
    expect(plugin.name).toBe(pkg.name);
    expect(plugin.version).toBe(pkg.version);
    expect(plugin.interface?.displayName).toBeTruthy();
    expect(plugin.interface?.defaultPrompt).toBeDefined();
  });

  it('points only at paths that exist', () => {
    for (const p of [plugin.skills, plugin.mcpServers]) if (p) expectExists(root, p);
  });

  it('reaches the plugin through the plugins/<name> -> .. symlink', () => {
    const entry = market.plugins[0];
    expect(entry?.name).toBe(pkg.name);
    // Marketplace paths resolve against the repo root (the directory holding .agents/).
    const path = join(root, entry?.source.path ?? '');
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path)).toBe('..');
    expect(statSync(join(path, '.codex-plugin/plugin.json')).isFile()).toBe(true);
  });
});

describe('.mcp.json', () => {
  const mcp = McpJson.parse(json('.mcp.json'));

  it('uses the wrapper form and launches the pinned package version with npx', () => {
    expect(Object.keys(mcp.mcpServers)).toEqual(['sealos-deploy']);
    expect(mcp.mcpServers['sealos-deploy']).toEqual({ command: 'npx', args: ['-y', `${pkg.name}@${pkg.version}`, 'mcp'] });
  });

  it('ships what the hosts read from the package', () => {
    expect(VERSION).toBe(pkg.version);
    for (const dir of ['skills', 'commands', 'dist', 'bin']) expect(pkg.files).toContain(dir);
  });
});
