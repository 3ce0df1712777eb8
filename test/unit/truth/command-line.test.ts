import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src/core/truth/local/command-line.js';

describe('parseCommandLine', () => {
  it('splits words, honours quotes and backslashes', () => {
    expect(parseCommandLine('npm ci').argv).toEqual(['npm', 'ci']);
    expect(parseCommandLine(`node "dist/my server.js" --name 'a b' c\\ d`).argv).toEqual(['node', 'dist/my server.js', '--name', 'a b', 'c d']);
  });

  it('expands $NAME and ${NAME} from the given env, not inside single quotes', () => {
    expect(parseCommandLine('node server.js --port $PORT --host ${HOST} \'$PORT\'', { PORT: '4000', HOST: '0.0.0.0' }).argv).toEqual(['node', 'server.js', '--port', '4000', '--host', '0.0.0.0', '$PORT']);
  });

  it('takes leading NAME=value words as environment', () => {
    expect(parseCommandLine('NODE_OPTIONS=--max-old-space-size=512 node server.js')).toEqual({ argv: ['node', 'server.js'], env: { NODE_OPTIONS: '--max-old-space-size=512' } });
  });

  it.each(['npm run build && npm start', 'node a.js | tee log', 'node server.js &', 'node a.js > out.log', 'echo $(whoami)', 'node `which x`', "node 'unterminated"])(
    'refuses shell syntax: %s',
    (cmd) => expect(() => parseCommandLine(cmd)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' })),
  );

  it('refuses a command with no program', () => {
    expect(() => parseCommandLine('FOO=1')).toThrow(/names no program/);
  });
});
