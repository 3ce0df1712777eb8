import { describe, expect, it } from 'vitest';
import { parseDockerfile, splitImage, substitute } from '../../../src/core/image/dockerfile-parse.js';

describe('parseDockerfile', () => {
  it('joins continuations, skips comment lines inside them, and keeps 1-based start lines', () => {
    const df = parseDockerfile(
      ['FROM node:22-slim AS build', '# a comment', 'RUN apt-get update \\', '    # comment inside a continuation', '    && apt-get install -y git \\', '', '    && rm -rf /var/lib/apt/lists/*', 'CMD ["node", "server.js"]'].join('\n'),
    );
    expect(df.errors).toEqual([]);
    const run = df.instructions[1];
    expect(run).toMatchObject({ keyword: 'RUN', line: 3 });
    expect(run?.args.replace(/\s+/g, ' ')).toBe('apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*');
    expect(df.instructions[2]).toMatchObject({ keyword: 'CMD', line: 8, json: ['node', 'server.js'] });
  });

  it('reads stages, names, flags, and substitutes global ARG defaults into FROM', () => {
    const df = parseDockerfile(
      ['ARG NODE_VERSION=20', 'ARG VARIANT', 'FROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-bookworm-slim AS Deps', 'RUN npm ci', 'FROM deps AS build', 'COPY --from=deps --chown=node:node /app /app', 'FROM node:${VARIANT:-22}-alpine', 'FROM node:${VARIANT}'].join('\n'),
    );
    expect(df.globals.map((g) => g.keyword)).toEqual(['ARG', 'ARG']);
    expect(df.stages.map((s) => [s.name, s.resolvedImage, s.parentStage])).toEqual([
      ['deps', 'node:20-bookworm-slim', null],
      ['build', 'deps', 0],
      [null, 'node:22-alpine', null],
      [null, null, null],
    ]);
    expect(df.stages[0]?.platform).toBe('$BUILDPLATFORM');
    expect(df.stages[1]?.instructions[0]?.flags).toEqual({ from: 'deps', chown: 'node:node' });
  });

  it('reads heredocs (quoted and <<- forms) as bodies, not instructions', () => {
    const df = parseDockerfile(
      ['FROM alpine:3.20', "COPY <<'EOF' /etc/app.conf", 'listen 8080;', 'RUN not-an-instruction', 'EOF', 'RUN <<-SH', '\techo hi', '\tSH', 'USER 101'].join('\n'),
    );
    expect(df.errors).toEqual([]);
    expect(df.instructions.map((i) => i.keyword)).toEqual(['FROM', 'COPY', 'RUN', 'USER']);
    expect(df.instructions[1]?.heredocs).toEqual([{ name: 'EOF', quoted: true, body: 'listen 8080;\nRUN not-an-instruction\n' }]);
    expect(df.instructions[2]?.heredocs[0]?.body).toBe('echo hi\n');
    expect(df.instructions[3]?.line).toBe(9);
  });

  it('honours the escape directive (Windows-style backtick continuations)', () => {
    const df = parseDockerfile(['# escape=`', 'FROM node:22', 'RUN echo a `', '  && echo b'].join('\n'));
    expect(df.directives).toEqual({ escape: '`' });
    expect(df.instructions[1]?.args.replace(/\s+/g, ' ')).toBe('echo a && echo b');
  });

  it('reports unknown instructions, instructions before FROM and unterminated heredocs', () => {
    const df = parseDockerfile(['ENV A=1', 'FROM node:22', 'RUNN npm ci', 'RUN <<EOF', 'echo'].join('\n'));
    expect(df.errors.map((e) => e.line)).toEqual([3, 4, 1]);
    expect(df.errors.map((e) => e.message).join('\n')).toMatch(/unknown instruction RUNN[\s\S]*never closed[\s\S]*before the first FROM/);
  });

  it('substitute and splitImage', () => {
    expect(substitute('${A:-x}-$B-${C:+y}', { B: 'b', C: '1' })).toBe('x-b-y');
    expect(substitute('$MISSING', {})).toBeNull();
    expect(splitImage('localhost:5000/app:1.0@sha256:abc')).toEqual({ name: 'localhost:5000/app', tag: '1.0', digest: 'sha256:abc' });
    expect(splitImage('localhost:5000/app')).toEqual({ name: 'localhost:5000/app', tag: null, digest: null });
  });
});
