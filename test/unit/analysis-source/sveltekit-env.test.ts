import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { memoryRepo } from './memory-repo.js';

const kit = (files: Record<string, string>) =>
  analyzeRepo(
    memoryRepo({
      'package.json': JSON.stringify({ name: 'kit', scripts: { build: 'vite build' }, dependencies: { '@sveltejs/kit': '2', '@sveltejs/adapter-node': '5', mongodb: '6' } }),
      'svelte.config.js': "import adapter from '@sveltejs/adapter-node';\nexport default { kit: { adapter: adapter() } };\n",
      ...files,
    }),
  );

describe("SvelteKit's environment modules", () => {
  it('reads $env/dynamic/* like process.env: names, defaults, the database key (chat-ui)', () => {
    const a = kit({
      'src/lib/server/db.ts': "import { env as priv } from '$env/dynamic/private';\nimport { MongoClient } from 'mongodb';\nexport const client = new MongoClient(priv.MONGODB_URL);\nexport const name = priv.DB_NAME ?? 'chat';\n",
      'src/routes/+page.server.ts': "import { env } from '$env/dynamic/public';\nexport const load = () => ({ origin: env.PUBLIC_ORIGIN || 'http://localhost:5173' });\n",
    });
    const byName = Object.fromEntries(a.env_vars.map((v) => [v.name, v]));
    expect(byName.MONGODB_URL).toMatchObject({ required: true, evidence: [expect.objectContaining({ file: 'src/lib/server/db.ts', line: 3 })] });
    expect(byName.DB_NAME).toMatchObject({ required: false, default: 'chat' });
    expect(byName.PUBLIC_ORIGIN).toBeDefined();
    expect(a.database).toMatchObject({ engine: 'mongodb', env_key: 'MONGODB_URL' });
    expect(a.findings.some((f) => f.id === 'build-time-env')).toBe(false);
  });

  it('reads $env/static/* names and fails: the build inlines them, and stops without them', () => {
    const a = kit({ 'src/lib/server/keys.ts': "import { OPENAI_API_KEY, COOKIE_NAME as cookie } from '$env/static/private';\nexport const k = OPENAI_API_KEY + cookie;\n" });
    expect(a.env_vars.map((v) => [v.name, v.required])).toEqual([['COOKIE_NAME', true], ['OPENAI_API_KEY', true]]);
    expect(a.findings.find((f) => f.id === 'build-time-env')).toMatchObject({ status: 'fail', message: expect.stringContaining('COOKIE_NAME, OPENAI_API_KEY'), fix: expect.stringContaining('$env/dynamic/private'), evidence: [expect.objectContaining({ file: 'src/lib/server/keys.ts', line: 1, rule: 'sveltekit-static-env' }), expect.anything()] });
  });
});
