import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { nestEntry } from '../../../src/core/analysis/nest-output.js';
import { memoryContext, memoryRepo } from '../analysis-source/memory-repo.js';

const json = (v: unknown) => JSON.stringify(v);
// What `nest new` writes: tsconfig.json with outDir, tsconfig.build.json excluding tests and dist.
const nestApp = {
  'package.json': json({ name: 'api', scripts: { build: 'nest build', start: 'nest start', 'start:dev': 'nest start --watch' }, dependencies: { '@nestjs/core': '^11', '@nestjs/common': '^11' }, devDependencies: { '@nestjs/cli': '^11' } }),
  'nest-cli.json': json({ $schema: 'https://json.schemastore.org/nest-cli', collection: '@nestjs/schematics', sourceRoot: 'src' }),
  'tsconfig.json': '{\n  // tsc options\n  "compilerOptions": { "module": "commonjs", "outDir": "./dist", "baseUrl": "./", },\n}\n',
  'tsconfig.build.json': json({ extends: './tsconfig.json', exclude: ['node_modules', 'test', 'dist', '**/*spec.ts'] }),
  'src/main.ts': "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(process.env.PORT ?? 3000);\n}\nbootstrap();\n",
  'src/app.module.ts': 'export class AppModule {}\n',
  'src/app.controller.spec.ts': 'test\n',
  'test/app.e2e-spec.ts': 'test\n',
};

describe('where nest build writes the entry', () => {
  it("is dist/main.js for the scaffold, whose sources all sit under src", () => {
    expect(nestEntry(memoryContext(nestApp)).file).toBe('dist/main.js');
  });

  it('moves to dist/src/main.js when tsc also compiles a root-level file (hoppscotch: prisma.config.ts), and the image runs that', async () => {
    const files = { ...nestApp, 'prisma.config.ts': "import { defineConfig } from 'prisma/config';\nexport default defineConfig({ schema: 'prisma/schema.prisma' });\n" };
    expect(nestEntry(memoryContext(files))).toMatchObject({ file: 'dist/src/main.js', evidence: [expect.anything(), expect.objectContaining({ file: 'tsconfig.build.json', rule: 'tsc-root-dir' })] });
    const a = analyzeRepo(memoryRepo(files, { tracked: true }), { now: () => new Date(0) });
    expect(a.entrypoint).toBe('dist/src/main.js');
    const { generateDockerfile } = await import('../../../src/core/image/dockerfile-generate.js');
    expect(generateDockerfile(a, Object.keys(files)).text).toContain('CMD ["node", "dist/src/main.js"]');
    // rootDir or an include limited to src keeps the scaffold's layout.
    expect(nestEntry(memoryContext({ ...files, 'tsconfig.build.json': json({ extends: './tsconfig.json', include: ['src/**/*'] }) })).file).toBe('dist/main.js');
    expect(nestEntry(memoryContext({ ...files, 'tsconfig.build.json': json({ extends: './tsconfig.json', compilerOptions: { rootDir: './src' } }) })).file).toBe('dist/main.js');
  });

  it("reads an excluded dot-directory as a directory (nestjs-boilerplate's .install-scripts stays out: dist/main.js)", () => {
    const files = { ...nestApp, 'tsconfig.build.json': json({ extends: './tsconfig.json', exclude: ['node_modules', 'test', 'dist', '**/*spec.ts', '.install-scripts'] }), '.install-scripts/index.ts': 'export {};\n' };
    expect(nestEntry(memoryContext(files)).file).toBe('dist/main.js');
  });

  it("follows nest-cli.json's entryFile, sourceRoot and the webpack builder (teable: dist/index.js)", () => {
    expect(nestEntry(memoryContext({ ...nestApp, 'nest-cli.json': json({ sourceRoot: 'src', entryFile: 'index', compilerOptions: { builder: 'webpack' } }), 'src/index.ts': 'x\n' })).file).toBe('dist/index.js');
    expect(nestEntry(memoryContext({ ...nestApp, 'nest-cli.json': json({ sourceRoot: 'src', entryFile: 'server' }) })).file).toBe('dist/server.js');
    // A unit in a workspace: the path stays the unit's.
    const inUnit = Object.fromEntries(Object.entries({ ...nestApp, 'prisma.config.ts': 'x\n' }).map(([k, v]) => [`apps/api/${k}`, v]));
    expect(nestEntry(memoryContext(inUnit, { unit: 'apps/api' })).file).toBe('dist/src/main.js');
  });
});
