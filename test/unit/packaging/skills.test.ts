import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { OpenAiYaml, SkillFrontmatter } from './manifest-schemas.js';

const root = resolve(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const skillDirs = readdirSync(join(root, 'skills'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

function readSkill(name: string): { front: unknown; body: string } {
  const text = readFileSync(join(root, 'skills', name, 'SKILL.md'), 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`skills/${name}/SKILL.md has no frontmatter`);
  return { front: parse(m[1] ?? ''), body: m[2] ?? '' };
}

describe.each(skillDirs)('skills/%s', (dir) => {
  const { front, body } = readSkill(dir);
  const fm = SkillFrontmatter.parse(front);

  it('follows the Agent Skills frontmatter rules', () => {
    expect(fm.name).toBe(dir);
    expect(fm.description.length).toBeLessThanOrEqual(1024);
    expect(fm.metadata?.version).toBe(pkg.version);
  });

  it('keeps the body under 500 lines', () => {
    expect(body.split('\n').length).toBeLessThan(500);
  });

  it('references only files that exist, one level deep', () => {
    for (const [, ref] of body.matchAll(/`(references\/[^`]+)`/g)) expect(existsSync(join(root, 'skills', dir, ref ?? '')), ref).toBe(true);
  });

  it('has Codex UI metadata that pins the package version', () => {
    const yaml = OpenAiYaml.parse(parse(readFileSync(join(root, 'skills', dir, 'agents/openai.yaml'), 'utf8')));
    for (const tool of yaml.dependencies?.tools ?? []) expect(tool.command).toBe(`npx -y ${pkg.name}@${pkg.version} mcp`);
  });
});

describe('sealos-deploy skill content', () => {
  const { body } = readSkill('sealos-deploy');

  it('covers confirmation, mode decision, Truth Pass failures, rollback with the database, and the CLI fallback', () => {
    for (const topic of ['CONFIRMATION_REQUIRED', 'PLAN_MISMATCH', 'DEPLOY', 'UPDATE', 'STOP', 'rejected', 'ROLLBACK_NEEDS_DB_ACK', 'npx -y sealos-deploy@']) {
      expect(body, topic).toContain(topic);
    }
  });

  it('documents the Codex config entry that forwards KUBECONFIG', () => {
    const hosts = readFileSync(join(root, 'skills/sealos-deploy/references/hosts.md'), 'utf8');
    const toml = /```toml\n([\s\S]*?)```/.exec(hosts)?.[1] ?? '';
    expect(toml).toContain('[mcp_servers.sealos-deploy]');
    expect(toml).toContain('env_vars = ["KUBECONFIG"]');
    expect(toml).toContain(`args = ["-y", "${pkg.name}@${pkg.version}", "mcp"]`);
  });
});

describe('references', () => {
  it('explains every stable error code in the failure table', () => {
    const errors = readFileSync(join(root, 'src/core/errors.ts'), 'utf8');
    const union = /export type ErrorCode =([\s\S]*?);/.exec(errors)?.[1] ?? '';
    const codes = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(40);
    const table = readFileSync(join(root, 'skills/sealos-deploy/references/failure-table.md'), 'utf8');
    const rows = new Set([...table.matchAll(/^\| ([A-Z_]+) \|/gm)].map((m) => m[1]));
    expect(codes.filter((c) => !rows.has(c))).toEqual([]);
  });

  it('explains every analysis finding id in the failure table', () => {
    const src = readdirSync(join(root, 'src/core/analysis'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
      .join('\n');
    const ids = new Set([...src.matchAll(/\bfinding\(\s*'([a-z-]+)'|\bid: '([a-z-]+)'|\b(?:pass|warn|fail)\('([a-z-]+)'/g)].map((m) => m[1] ?? m[2] ?? m[3]));
    expect(ids.size).toBeGreaterThan(30);
    const table = readFileSync(join(root, 'skills/sealos-deploy/references/failure-table.md'), 'utf8');
    const section = table.slice(table.indexOf('## Analysis findings'), table.indexOf('## Local rehearsal'));
    const rows = new Set([...section.matchAll(/^\| ([a-z-]+) \|/gm)].map((m) => m[1]));
    expect([...ids].filter((id) => !rows.has(id))).toEqual([]);
  });

  it('explains every rehearsal and Truth Pass check id in the failure table', () => {
    const src = readdirSync(join(root, 'src/core/truth'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
      .join('\n');
    const ids = new Set([...src.matchAll(/\bid: '([a-z-]+)'/g)].map((m) => m[1]));
    expect(ids.size).toBeGreaterThan(20);
    const table = readFileSync(join(root, 'skills/sealos-deploy/references/failure-table.md'), 'utf8');
    const rows = new Set([...table.slice(table.indexOf('## Local rehearsal')).matchAll(/^\| ([a-z-]+) \|/gm)].map((m) => m[1]));
    expect([...ids].filter((id) => !rows.has(id))).toEqual([]);
  });

  it('ships the checklist without web-page chrome', () => {
    const checklist = readFileSync(join(root, 'skills/sealos-deploy/references/production-checklist.md'), 'utf8');
    for (let i = 1; i <= 9; i++) expect(checklist).toMatch(new RegExp(`^## ${i}\\. `, 'm'));
    expect(checklist).toContain('Runtime Truth Pass accepted');
    expect(checklist).not.toMatch(/Share to Linkedin|Explore with AI|Get started for free|Sealos LogoSealos/);
  });
});

describe('/sealos router', () => {
  it('routes the same six intents in the Claude command and the Codex router skill', () => {
    const command = readFileSync(join(root, 'commands/sealos.md'), 'utf8');
    const router = readSkill('sealos').body;
    expect(command).toContain('$ARGUMENTS');
    for (const intent of ['deploy', 'update', 'verify', 'rollback', 'status', 'checklist']) {
      expect(command).toContain(`**${intent}**`);
      expect(router).toMatch(new RegExp(`\\| ${intent} \\|`));
    }
  });
});
