import { describe, expect, it } from 'vitest';
import { lintDockerfile, lintProblems, type LintFinding, type LintRuleId } from '../../../src/core/image/dockerfile-lint.js';

const GOOD = `# syntax=docker/dockerfile:1
ARG NODE_VERSION=22
FROM node:\${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM deps AS build
COPY . .
RUN npm run build \\
 && npm prune --omit=dev

FROM node:\${NODE_VERSION}-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000
COPY --from=build /app /app
USER node
EXPOSE 3000
CMD ["node", "dist/server.js"]
`;
const IGNORE = 'node_modules\n.git\n.env*\n!.env.example\n';

function rule(findings: LintFinding[], id: LintRuleId): LintFinding {
  const f = findings.find((x) => x.id === id);
  if (!f) throw new Error(`no finding ${id}: ${JSON.stringify(findings.map((x) => x.id))}`);
  return f;
}

describe('lintDockerfile', () => {
  it('a production Dockerfile passes every rule (digest pinning is only a suggestion)', () => {
    const findings = lintDockerfile(GOOD, { port: 3000, dockerignore: IGNORE });
    expect(lintProblems(findings)).toEqual([]);
    expect(rule(findings, 'pin-digest').status).toBe('info');
    expect(findings.map((f) => f.id).sort()).toEqual(
      ['no-latest', 'pin-digest', 'non-root-user', 'multi-stage', 'copy-before-install', 'no-expose', 'port-mismatch', 'dev-in-runtime', 'no-cmd', 'shell-form-cmd', 'npm-start-as-cmd', 'no-dockerignore'].sort(),
    );
    for (const f of findings.filter((x) => x.status === 'pass')) expect(f.fix).toBeNull();
  });

  it('no-latest: untagged, latest, and ARG without a default', () => {
    expect(rule(lintDockerfile('FROM node\nCMD ["node","a.js"]'), 'no-latest')).toMatchObject({ status: 'fail', line: 1 });
    expect(rule(lintDockerfile('FROM node:latest AS x\nCMD ["node","a.js"]'), 'no-latest').status).toBe('fail');
    expect(rule(lintDockerfile('ARG V\nFROM node:${V}\nCMD ["node","a.js"]'), 'no-latest')).toMatchObject({ status: 'warn', line: 2 });
    expect(rule(lintDockerfile('FROM node:22@sha256:' + 'a'.repeat(64) + '\nCMD ["node","a.js"]'), 'pin-digest').status).toBe('pass');
    // A stage name is not an image.
    expect(rule(lintDockerfile('FROM node:22 AS base\nFROM base\nCMD ["node","a.js"]'), 'no-latest').status).toBe('pass');
  });

  it('non-root-user: missing USER warns, USER root fails, non-root bases pass', () => {
    expect(rule(lintDockerfile('FROM node:22\nCMD ["node","a.js"]'), 'non-root-user').status).toBe('warn');
    expect(rule(lintDockerfile('FROM node:22\nUSER node\nUSER root\nCMD ["node","a.js"]'), 'non-root-user')).toMatchObject({ status: 'fail', line: 3 });
    expect(rule(lintDockerfile('FROM nginxinc/nginx-unprivileged:1.27-alpine\nCOPY dist /usr/share/nginx/html'), 'non-root-user').status).toBe('pass');
    // USER in a build stage does not count for the runtime.
    expect(rule(lintDockerfile('FROM node:22 AS b\nUSER node\nFROM node:22\nCMD ["node","a.js"]'), 'non-root-user').status).toBe('warn');
  });

  it('multi-stage: a single stage that installs and builds warns', () => {
    const single = 'FROM node:22\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nUSER node\nCMD ["node","dist/a.js"]';
    expect(rule(lintDockerfile(single), 'multi-stage').status).toBe('warn');
    expect(rule(lintDockerfile('FROM nginxinc/nginx-unprivileged:1.27-alpine\nCOPY . /usr/share/nginx/html/'), 'multi-stage').status).toBe('pass');
    // A build made elsewhere and production dependencies only (Nx's generated Dockerfile): no build tools ship.
    const prebuilt = 'FROM node:22-slim\nWORKDIR /app\nCOPY dist/api api\nRUN npm --prefix api --omit=dev -f install\nUSER node\nCMD ["node","api"]';
    expect(rule(lintDockerfile(prebuilt), 'multi-stage').status).toBe('pass');
    expect(rule(lintDockerfile('FROM node:22-slim\nENV NODE_ENV=production\nCOPY . .\nRUN npm ci\nUSER node\nCMD ["node","a.js"]'), 'multi-stage').status).toBe('pass');
    expect(rule(lintDockerfile('FROM node:22-slim\nCOPY . .\nRUN npm ci --omit=dev && npx tsc\nUSER node\nCMD ["node","a.js"]'), 'multi-stage').status).toBe('warn');
  });

  it('copy-before-install: COPY . . before the install kills the cache', () => {
    const bad = 'FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nCMD ["node","a.js"]';
    expect(rule(lintDockerfile(bad), 'copy-before-install')).toMatchObject({ status: 'warn', line: 3 });
    expect(rule(lintDockerfile('FROM node:22\nCOPY ["./", "/app"]\nRUN yarn\nCMD ["node","a.js"]'), 'copy-before-install').status).toBe('warn');
    expect(rule(lintDockerfile('FROM oven/bun:1\nCOPY . .\nRUN bun install --frozen-lockfile\nCMD ["bun","a.ts"]'), 'copy-before-install').status).toBe('warn');
    // A global tool install is not a dependency install.
    expect(rule(lintDockerfile('FROM node:22\nCOPY . .\nRUN npm install -g pm2\nCMD ["node","a.js"]'), 'copy-before-install').status).toBe('pass');
    // A project whose own install scripts read its files (a postinstall build) has to copy them first.
    expect(rule(lintDockerfile(bad, { installReadsSource: true }), 'copy-before-install')).toMatchObject({ status: 'pass', line: 3, message: expect.stringContaining("the project's own install scripts read it") });
  });

  it('copy-source-missing: only when the context files are given; globs, variables, whole-context copies and other stages are not checked', () => {
    const text = 'FROM node:22 AS b\nCOPY . .\nCOPY --from=b /app/dist ./dist\nCOPY package.json ./\nCOPY src/*.ts ./src/\nCOPY ${CONF} ./\nCOPY ./dist/api/ api\nCMD ["node","api"]';
    expect(lintDockerfile(text).some((f) => f.id === 'copy-source-missing')).toBe(false);
    expect(rule(lintDockerfile(text, { contextFiles: ['package.json', 'src/a.ts'] }), 'copy-source-missing')).toMatchObject({ status: 'warn', line: 7, message: expect.stringContaining('COPY dist/api (line 7)') });
    expect(rule(lintDockerfile(text, { contextFiles: ['package.json', 'src/a.ts', 'dist/api/main.js'] }), 'copy-source-missing').status).toBe('pass');
    // A leading slash is still the context root (homepage's `COPY --link /public ./public/`).
    const rooted = 'FROM node:22\nCOPY --link --chown=1000:1000 /public ./public/\nCMD ["node","server.js"]';
    expect(rule(lintDockerfile(rooted, { contextFiles: ['package.json', 'public/favicon.ico'] }), 'copy-source-missing').status).toBe('pass');
    expect(rule(lintDockerfile(rooted, { contextFiles: ['package.json'] }), 'copy-source-missing')).toMatchObject({ status: 'warn', message: expect.stringContaining('COPY public (line 2)') });
  });

  it('no-expose / port-mismatch', () => {
    const none = lintDockerfile('FROM node:22\nCMD ["node","a.js"]', { port: 3000 });
    expect(rule(none, 'no-expose').status).toBe('warn');
    const other = lintDockerfile('FROM node:22\nEXPOSE 8080\nCMD ["node","a.js"]', { port: 3000 });
    expect(rule(other, 'port-mismatch')).toMatchObject({ status: 'fail', line: 2 });
    expect(rule(other, 'port-mismatch').message).toContain('3000');
    expect(rule(lintDockerfile('FROM node:22\nEXPOSE 8080/tcp 3000\nCMD ["node","a.js"]', { port: 3000 }), 'port-mismatch').status).toBe('pass');
  });

  it('dev-in-runtime: devDependencies installed in the final stage', () => {
    expect(rule(lintDockerfile('FROM node:22\nCOPY package*.json ./\nRUN npm ci\nCMD ["node","a.js"]'), 'dev-in-runtime')).toMatchObject({ status: 'warn', line: 3 });
    expect(rule(lintDockerfile('FROM node:22\nRUN pnpm install --frozen-lockfile\nCMD ["node","a.js"]'), 'dev-in-runtime').status).toBe('warn');
    expect(rule(lintDockerfile('FROM node:22\nENV NODE_ENV=production\nRUN npm ci\nCMD ["node","a.js"]'), 'dev-in-runtime').status).toBe('pass');
    expect(rule(lintDockerfile('FROM node:22\nRUN npm ci --omit=dev\nCMD ["node","a.js"]'), 'dev-in-runtime').status).toBe('pass');
    expect(rule(lintDockerfile('FROM node:22\nRUN npm ci && npm run build && npm prune --omit=dev\nCMD ["node","a.js"]'), 'dev-in-runtime').status).toBe('pass');
    // The runtime stage builds on a stage that installed everything.
    expect(rule(lintDockerfile('FROM node:22 AS deps\nRUN npm ci\nFROM deps AS runtime\nCMD ["node","a.js"]'), 'dev-in-runtime').status).toBe('warn');
  });

  it('no-cmd: a node base without CMD fails; an nginx base inherits its CMD', () => {
    expect(rule(lintDockerfile('FROM node:22-slim\nCOPY . .'), 'no-cmd').status).toBe('fail');
    expect(rule(lintDockerfile('FROM node:22 AS b\nFROM b'), 'no-cmd').status).toBe('fail');
    expect(rule(lintDockerfile('FROM nginx:1.27\nCOPY . /usr/share/nginx/html'), 'no-cmd').status).toBe('pass');
  });

  it('shell-form-cmd: signals never reach a shell-wrapped service', () => {
    expect(rule(lintDockerfile('FROM node:22\nCMD node server.js'), 'shell-form-cmd')).toMatchObject({ status: 'warn', line: 2 });
    expect(rule(lintDockerfile('FROM node:22\nENTRYPOINT node server.js'), 'shell-form-cmd').status).toBe('warn');
    expect(rule(lintDockerfile('FROM node:22\nCMD ["node", "server.js"]'), 'shell-form-cmd').status).toBe('pass');
  });

  it('npm-start-as-cmd: package-manager wrappers do not forward SIGTERM (also behind tini)', () => {
    expect(rule(lintDockerfile('FROM node:22\nCMD ["npm", "start"]'), 'npm-start-as-cmd').status).toBe('warn');
    expect(rule(lintDockerfile('FROM node:22\nCMD ["yarn", "serve"]'), 'npm-start-as-cmd').status).toBe('warn');
    expect(rule(lintDockerfile('FROM node:22\nENTRYPOINT ["/usr/bin/tini", "--"]\nCMD ["npm", "run", "start"]'), 'npm-start-as-cmd').status).toBe('warn');
    expect(rule(lintDockerfile('FROM node:22\nCMD pnpm start'), 'npm-start-as-cmd').status).toBe('warn');
    expect(rule(lintDockerfile('FROM oven/bun:1\nCMD ["bun", "run", "start"]'), 'npm-start-as-cmd').status).toBe('warn');
    expect(rule(lintDockerfile('FROM oven/bun:1\nCMD ["bun", "run", "src/index.ts"]'), 'npm-start-as-cmd').status).toBe('pass');
    expect(rule(lintDockerfile('FROM node:22\nENTRYPOINT ["/usr/bin/tini", "--"]\nCMD ["node", "a.js"]'), 'npm-start-as-cmd').status).toBe('pass');
  });

  it('no-dockerignore: missing file, or one that lets node_modules/.git/.env through', () => {
    expect(rule(lintDockerfile(GOOD, { dockerignore: null }), 'no-dockerignore').status).toBe('warn');
    const partial = rule(lintDockerfile(GOOD, { dockerignore: 'node_modules\n' }), 'no-dockerignore');
    expect(partial.status).toBe('warn');
    expect(partial.message).toContain('.git');
    expect(partial.message).toContain('.env*');
    expect(lintDockerfile(GOOD).some((f) => f.id === 'no-dockerignore')).toBe(false);
  });

  it('parse errors are failures with their line; a file with no FROM fails', () => {
    expect(lintDockerfile('FROM node:22\nRUNN x\nCMD ["node","a.js"]').filter((f) => f.id === 'parse')).toMatchObject([{ status: 'fail', line: 2 }]);
    expect(lintDockerfile('# nothing here\n')).toMatchObject([{ id: 'parse', status: 'fail' }]);
  });
});
