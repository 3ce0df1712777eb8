import type { ParseArgsConfig } from 'node:util';

/** Exit codes are part of the CLI contract (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** The operation ran and its verdict is negative: Truth Pass rejected, mode STOP, failing findings with --strict. */
  rejected: 1,
  /** Usage or environment error: bad arguments, missing kubeconfig, docker unavailable, invalid artifact. */
  error: 2,
  /** A mutating command showed its plan and changed nothing: re-run with --confirm. */
  planOnly: 3,
} as const;

export interface CliIo {
  stdout: (text: string) => void;
  /** Human progress and diagnostics; never the machine-readable result. */
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  summary: string;
  /** Usage line(s) and option help, printed by `--help`. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /**
   * What positional arguments it takes: `dir` (default) at most one directory, `none`, or `own` (the
   * command checks them). Extra words are an error, never ignored: `analyze my service` must not
   * analyze `my`.
   */
  positionals?: 'dir' | 'none' | 'own';
  /** Receives parsed values and positionals; returns the exit code. Throw DeployError for coded failures. */
  run(values: Record<string, unknown>, positionals: string[], io: CliIo): Promise<number>;
}

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;
