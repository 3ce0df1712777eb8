/**
 * Ports of the local rehearsal: a committed-tree copy, a supervised long-running process, sockets.
 * Implemented in src/system (worktree.ts, process-supervisor.ts, sockets.ts); fakes in tests.
 */

export interface CommittedCopy {
  /** The exported tree of `dir` at HEAD (what a fresh checkout would contain). */
  dir: string;
  /** `dir` relative to the repo root, POSIX, "" for the root. */
  prefix: string;
  commit: string;
  /** Working-tree paths under dir (repo-relative) that differ from HEAD: they are not part of the rehearsal. */
  uncommitted: string[];
  /** Removes the copy. */
  cleanup(): Promise<void>;
}

export interface Worktree {
  /** Throws DeployError GIT_UNAVAILABLE when `dir` is not inside a git checkout with a commit. */
  checkoutCommitted(dir: string): Promise<CommittedCopy>;
}

export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
  /** Milliseconds since the process started. */
  at_ms: number;
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** Milliseconds since the process started. */
  at_ms: number;
}

export interface SupervisedProcess {
  readonly pid: number;
  /** Output lines so far (bounded), stdout and stderr interleaved in arrival order. */
  lines(): OutputLine[];
  /** Resolves when the started process exits; never rejects. */
  readonly exited: Promise<ExitInfo>;
  exitInfo(): ExitInfo | null;
  /** Sends a signal to the whole process group, and to what left it (a daemon); false when nothing is left. */
  signalGroup(signal: 'SIGTERM' | 'SIGKILL' | 'SIGINT'): boolean;
  /** Live (non-zombie) pids the start command left running: its process group and daemons that left it; null when the platform cannot tell. */
  groupMembers(): Promise<number[] | null>;
  /** SIGKILLs the whole group and waits briefly for the leader; safe to call twice. */
  killGroup(): Promise<void>;
}

export interface StartOptions {
  cwd: string;
  /** The complete environment (nothing is inherited). */
  env: Record<string, string>;
}

export interface ProcessSupervisor {
  /** Starts `command args` in its own process group. Throws DeployError when it cannot be spawned. */
  start(command: string, args: string[], options: StartOptions): Promise<SupervisedProcess>;
}

export interface Sockets {
  /** A TCP port that was free a moment ago. */
  freePort(): Promise<number>;
  canConnect(host: string, port: number, timeoutMs: number): Promise<boolean>;
  /** Local addresses of sockets listening on `port` (e.g. "0.0.0.0", "::", "127.0.0.1"); null when unknown. */
  listeners(port: number): Promise<string[] | null>;
  /** TCP ports the given processes listen on, ascending; null when the platform cannot tell (no /proc). */
  listeningPorts(pids: number[]): Promise<number[] | null>;
  /** This machine's non-loopback addresses, IPv4 first. */
  externalAddresses(): string[];
}

export interface LocalSystem {
  worktree: Worktree;
  supervisor: ProcessSupervisor;
  sockets: Sockets;
}
