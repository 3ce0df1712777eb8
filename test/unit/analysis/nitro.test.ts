import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { generateDockerfile } from '../../../src/core/image/dockerfile-generate.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

describe('Nitro on its own', () => {
  it("is a server on PORT (default 3000) that runs .output/server/index.mjs (the RealWorld reference API)", () => {
    const files = {
      'package.json': JSON.stringify({ name: 'api', scripts: { build: 'nitro build', dev: 'nitro dev' }, dependencies: { nitropack: '2.13.1' } }),
      'nitro.config.ts': "export default defineNitroConfig({ preset: 'heroku', srcDir: 'server' });\n",
      'server/routes/api/tags.get.ts': "export default defineEventHandler(() => ({ tags: [] }));\n",
    };
    const a = analyzeRepo(memoryRepo(files));
    expect(a.framework.name).toBe('nitro');
    expect(a.kind).toBe('server');
    expect(a.commands).toMatchObject({ build: 'npm run build', start: 'node .output/server/index.mjs' });
    expect(a.entrypoint).toBe('.output/server/index.mjs');
    expect(a.port).toMatchObject({ value: 3000 });
    expect(generateDockerfile(a, Object.keys(files)).text).toContain('CMD ["node", ".output/server/index.mjs"]');
  });
});
