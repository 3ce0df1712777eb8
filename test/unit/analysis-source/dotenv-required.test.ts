import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { generateDockerfile } from '../../../src/core/image/dockerfile-generate.js';
import { memoryRepo } from './memory-repo.js';

const app = (config: string) =>
  memoryRepo({
    'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node src/app.js' }, dependencies: { express: '4', dotenv: '16' } }),
    'src/config.js': config,
    'src/app.js': "const config = require('./config');\nrequire('express')().listen(config.port);\n",
  });

describe('a service that stops without its .env file', () => {
  it("is found (bulletproof-nodejs: `if (envFound.error) throw`), and the image creates an empty one so it starts", () => {
    const a = analyzeRepo(app("const dotenv = require('dotenv');\nconst envFound = dotenv.config();\nif (envFound.error) {\n  // This error should crash the whole process\n  throw new Error(\"Couldn't find .env file\");\n}\nmodule.exports = { port: process.env.PORT || 3000 };\n"));
    expect(a.env_files.required_at_start).toBe('.env');
    expect(a.findings.find((f) => f.id === 'env-file-required')).toMatchObject({ status: 'warn', evidence: [expect.objectContaining({ file: 'src/config.js', line: 3 })] });
    const text = generateDockerfile(a, ['package.json', 'src/config.js', 'src/app.js']).text;
    expect(text).toMatch(/FROM deps AS build\n[\s\S]*RUN touch \.env\n[\s\S]*FROM base AS runtime/);
    // A literal path option is the file; process.exit stops it as a throw does.
    expect(analyzeRepo(app("const r = require('dotenv').config({ path: './config/app.env' });\nif (r.error) process.exit(1);\nmodule.exports = { port: 3000 };\n")).env_files.required_at_start).toBe('config/app.env');
  });

  it('not when the code only reports it, or reads dotenv as most do', () => {
    for (const config of ["const r = require('dotenv').config();\nif (r.error) console.warn('no .env');\nmodule.exports = { port: 3000 };\n", "require('dotenv').config();\nmodule.exports = { port: process.env.PORT };\n"]) {
      const a = analyzeRepo(app(config));
      expect(a.env_files.required_at_start, config).toBeUndefined();
      expect(a.findings.some((f) => f.id === 'env-file-required'), config).toBe(false);
    }
  });
});
