import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { DeployError } from '../core/errors.js';
import type { ExitInfo, OutputLine, ProcessSupervisor, SupervisedProcess, StartOptions } from '../core/truth/local/ports.js';

const MAX_LINES = 5000;
const MAX_LINE_CHARS = 4096;

/**
 * Every started program and what it starts carry this variable with a token of their own. A daemon leaves the
 * process group (pm2 forks its God Daemon into a session of its own) but keeps its environment: the token finds it.
 */
const TAG = 'SEALOS_DEPLOY_SUPERVISED';
let started = 0;

/** Process groups still alive, by leader pid, with their token; killed if this process exits first. */
const liveGroups = new Map<number, string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [pgid, token] of liveGroups) {
      kill(-pgid);
      for (const pid of taggedSync(token)) kill(pid);
    }
  });
}

function kill(pid: number, signal: NodeJS.Signals = 'SIGKILL'): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

const tagged = (environ: string, token: string) => environ.includes(`\0${TAG}=${token}\0`) || environ.startsWith(`${TAG}=${token}\0`);
const live = (stat: string) => {
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
};

/** Live pids carrying `token` in their environment, from /proc (Linux; empty elsewhere). Synchronous for the exit hook. */
function taggedSync(token: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (tagged(readFileSync(`/proc/${e}/environ`, 'latin1'), token) && live(readFileSync(`/proc/${e}/stat`, 'utf8'))) out.push(Number(e));
    } catch {
      /* exited while we looked, or another user's */
    }
  }
  return out;
}

/** The process group of a /proc stat line (fields after the command name, which may hold spaces: state ppid pgrp). */
const pgrpOf = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);

/** Live pids in /proc that `pick` chooses (Linux); null where there is no /proc. */
async function liveProcesses(pick: (pid: string, stat: string) => boolean | Promise<boolean>): Promise<number[] | null> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return null;
  }
  const out: number[] = [];
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map(async (e) => {
        try {
          const stat = await readFile(`/proc/${e}/stat`, 'utf8');
          if (live(stat) && (await pick(e, stat))) out.push(Number(e));
        } catch {
          /* exited while we looked, or another user's */
        }
      }),
  );
  return out.sort((a, b) => a - b);
}

/** Pids whose process group is `pgid`, from /proc (Linux); null elsewhere. */
export function processGroupMembers(pgid: number): Promise<number[] | null> {
  return liveProcesses((_, stat) => pgrpOf(stat) === pgid);
}

/** The group's members and the processes that left it but carry its token: everything the start command left running. */
function membersOf(pgid: number, token: string): Promise<number[] | null> {
  return liveProcesses(async (pid, stat) => pgrpOf(stat) === pgid || (Number(pid) !== process.pid && tagged(await readFile(`/proc/${pid}/environ`, 'latin1'), token)));
}

function lineSink(stream: 'stdout' | 'stderr', lines: OutputLine[], t0: number) {
  let partial = '';
  const push = (text: string) => {
    if (lines.length >= MAX_LINES) lines.splice(0, lines.length - MAX_LINES + 1);
    lines.push({ stream, text: text.length > MAX_LINE_CHARS ? text.slice(0, MAX_LINE_CHARS) + '…' : text, at_ms: Date.now() - t0 });
  };
  return {
    data(chunk: Buffer) {
      const parts = (partial + chunk.toString('utf8')).split(/\r?\n/);
      partial = parts.pop() ?? '';
      for (const p of parts) push(p);
      if (partial.length > MAX_LINE_CHARS) {
        push(partial);
        partial = '';
      }
    },
    flush() {
      if (partial) push(partial);
      partial = '';
    },
  };
}

/** Starts programs detached (own process group) with piped output; the group is signalled as a whole. */
export const processSupervisor: ProcessSupervisor = {
  start(command: string, args: string[], options: StartOptions): Promise<SupervisedProcess> {
    installExitHook();
    return new Promise((resolve, reject) => {
      const t0 = Date.now();
      const token = `${process.pid}-${++started}-${t0}`;
      const child = spawn(command, args, { cwd: options.cwd, env: { ...options.env, [TAG]: token }, detached: true, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
      const lines: OutputLine[] = [];
      const out = lineSink('stdout', lines, t0);
      const err = lineSink('stderr', lines, t0);
      child.stdout?.on('data', out.data);
      child.stderr?.on('data', err.data);
      let exit: ExitInfo | null = null;
      let resolveExit: (e: ExitInfo) => void = () => {};
      const exited = new Promise<ExitInfo>((r) => (resolveExit = r));
      child.once('exit', (code, signal) => {
        out.flush();
        err.flush();
        exit = { code, signal, at_ms: Date.now() - t0 };
        resolveExit(exit);
      });
      child.once('error', (e: NodeJS.ErrnoException) => {
        if (child.pid === undefined) {
          const notFound = e.code === 'ENOENT';
          reject(
            new DeployError('REHEARSAL_SETUP_FAILED', notFound ? `"${command}" was not found on PATH` : `Cannot start "${command}": ${e.message}`, notFound ? `Install ${command} or change the start command.` : 'Check the start command and the working directory.', { cause: e.code }),
          );
        }
      });
      child.once('spawn', () => {
        const pid = child.pid as number;
        liveGroups.set(pid, token);
        void exited.then(async () => {
          // The group may outlive its leader; forget it only once nothing it started is left.
          const members = await membersOf(pid, token);
          if (members !== null && members.length === 0) liveGroups.delete(pid);
        });
        // The group, and whatever left it (a daemon): a graceful stop reaches the server wherever it went.
        const signalGroup = (signal: 'SIGTERM' | 'SIGKILL' | 'SIGINT') => {
          let reached = kill(-pid, signal);
          for (const p of taggedSync(token)) if (kill(p, signal)) reached = true;
          return reached;
        };
        resolve({
          pid,
          lines: () => lines.slice(),
          exited,
          exitInfo: () => exit,
          signalGroup,
          groupMembers: () => membersOf(pid, token),
          async killGroup() {
            // Once the leader is gone and nothing it started is left, the group id may be reused: signal nothing.
            const members = exit ? await membersOf(pid, token) : null;
            if (!exit || members === null || members.length > 0) signalGroup('SIGKILL');
            await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
            // SIGKILL is asynchronous: on a loaded machine members linger for a moment. Wait until
            // nothing is left so callers can rely on "nothing left running".
            for (let waited = 0; waited < 5000; waited += 50) {
              const left = await membersOf(pid, token);
              if (left === null || left.length === 0) break;
              signalGroup('SIGKILL');
              await new Promise((r) => setTimeout(r, 50).unref());
            }
            liveGroups.delete(pid);
          },
        });
      });
    });
  },
};
