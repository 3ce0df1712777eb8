import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { generateDockerfile } from '../../../src/core/image/dockerfile-generate.js';
import { planEnv } from '../../../src/core/template/env.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

// bluesky's PDS: the server is a library (@atproto/pds) that reads PDS_PORT and the rest; the repository has only a
// small index.js in service/, a Dockerfile that sets ENV PDS_PORT=3000, and sample.env at the root.
const pds = {
  'Dockerfile': 'FROM node:20.20-alpine3.23 AS build\nWORKDIR /app\nCOPY ./service ./\nRUN corepack enable && pnpm install --production --frozen-lockfile\nFROM node:20.20-alpine3.23\nWORKDIR /app\nCOPY --from=build /app /app\nEXPOSE 3000\nENV PDS_PORT=3000\nENV NODE_ENV=production\nCMD ["node", "--enable-source-maps", "index.js"]\n',
  'sample.env': 'PDS_HOSTNAME=\nPDS_JWT_SECRET=\nPDS_ADMIN_PASSWORD=\nPDS_DATA_DIRECTORY=/pds\n',
  'service/package.json': JSON.stringify({ name: 'pds', main: 'index.js', dependencies: { '@atproto/pds': '0.4.0' } }),
  'service/pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
  'service/index.js': "const { PDS, envToCfg, envToSecrets, readEnv } = require('@atproto/pds');\nconst main = async () => {\n  const env = readEnv();\n  const pds = await PDS.create(envToCfg(env), envToSecrets(env));\n  await pds.start();\n  process.on('SIGTERM', async () => { await pds.destroy(); });\n};\nmain();\n",
};

describe('a service a library runs, configured as its image and example say', () => {
  it("takes the port variable the image sets for the port it exposes (ENV PDS_PORT=3000), in the image and the template", () => {
    const a = analyzeRepo(memoryRepo(pds, { tracked: true }), { path: 'service', now: () => new Date(0) });
    expect(a.port).toMatchObject({ value: 3000, reads_env: true, env_name: 'PDS_PORT', source: 'dockerfile' });
    expect(a.port.evidence).toContainEqual(expect.objectContaining({ file: 'Dockerfile', line: 9, rule: 'dockerfile-port-env' }));
    expect(generateDockerfile(a, Object.keys(pds)).text).toMatch(/ENV NODE_ENV=production PORT=3000 PDS_PORT=3000/);
    expect(planEnv(a, 3000, 'db').env).toContainEqual({ name: 'PDS_PORT', value: '3000' });
  });

  it("reads the root's sample.env as the example of the root's only package", () => {
    const a = analyzeRepo(memoryRepo(pds, { tracked: true }), { path: 'service', now: () => new Date(0) });
    expect(a.env_files.example).toBe('sample.env');
    expect(a.env_vars.filter((v) => v.required).map((v) => v.name)).toEqual(['PDS_ADMIN_PASSWORD', 'PDS_HOSTNAME', 'PDS_JWT_SECRET']);
    // Beside another package, the root's example lists both apps' variables: this one's are not all required.
    const two = analyzeRepo(memoryRepo({ ...pds, 'web/package.json': JSON.stringify({ name: 'web', scripts: { build: 'vite build' } }) }, { tracked: true }), { path: 'service', now: () => new Date(0) });
    expect(two.env_vars.filter((v) => v.required)).toEqual([]);
  });
});
