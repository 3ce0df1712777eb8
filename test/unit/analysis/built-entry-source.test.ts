import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

const json = (v: unknown) => JSON.stringify(v);

describe('the source of a built entry compiled from elsewhere', () => {
  it("follows a tsconfig whose outDir is the entry's directory (jellyseerr: server/tsconfig.json, outDir ../dist), so what the entry loads is read", () => {
    const files = {
      'package.json': json({ name: 'jellyseerr', scripts: { build: 'tsc --project server/tsconfig.json', start: 'NODE_ENV=production node dist/index.js', 'migration:run': 'ts-node ./node_modules/typeorm/cli.js migration:run -d server/datasource.ts' }, dependencies: { express: '^4', typeorm: '^0.3', pg: '^8' }, devDependencies: { 'ts-node': '^10' } }),
      'tsconfig.json': json({ compilerOptions: { strict: true } }),
      'server/tsconfig.json': json({ extends: '../tsconfig.json', compilerOptions: { outDir: '../dist' }, include: ['**/*.ts'] }),
      'server/index.ts': "import express from 'express';\nimport dataSource from './datasource';\nconst app = express();\ndataSource.initialize().then(async (db) => {\n  if (process.env.NODE_ENV === 'production') {\n    await db.runMigrations();\n  }\n  app.listen(Number(process.env.PORT) || 5055);\n});\n",
      'server/datasource.ts': "import { DataSource } from 'typeorm';\nexport default new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, migrations: ['dist/migration/**/*.js'] });\n",
      'server/migration/1700000000000-Init.ts': 'export class Init1700000000000 {}\n',
    };
    const a = analyzeRepo(memoryRepo(files, { tracked: true }), { now: () => new Date(0) });
    expect(a.entrypoint).toBe('dist/index.js');
    expect(a.port.value).toBe(5055);
    expect(a.migrations).toMatchObject({ command: null, at_start: expect.objectContaining({ file: 'server/index.ts', line: 6 }) });
  });
});
