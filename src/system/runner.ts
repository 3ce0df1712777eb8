import { execa } from 'execa';
import type { RunOptions, RunResult, Runner } from '../core/ports.js';

/** The real Runner: execa with an argument array, never a shell; a non-zero exit is a result, not a throw. */
export const execaRunner: Runner = {
  async run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    const started = Date.now();
    const result = await execa(command, args, {
      cwd: options.cwd,
      env: options.env,
      extendEnv: options.extendEnv ?? true,
      input: options.input,
      timeout: options.timeoutMs,
      cancelSignal: options.signal,
      reject: false,
      stripFinalNewline: false,
      shell: false,
      maxBuffer: 64 * 1024 * 1024,
    });
    const code = (result as { code?: string }).code;
    return {
      command,
      args,
      exitCode: typeof result.exitCode === 'number' ? result.exitCode : null,
      stdout: typeof result.stdout === 'string' ? result.stdout : '',
      stderr: typeof result.stderr === 'string' ? result.stderr : '',
      timedOut: Boolean(result.timedOut),
      durationMs: Date.now() - started,
      notFound: code === 'ENOENT',
    };
  },
};
