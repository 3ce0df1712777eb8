import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { DeployError } from '../core/errors.js';
import type { ExitInfo, OutputLine, ProcessSupervisor, SupervisedProcess, StartOptions } from '../core/truth/local/ports.js';

const MAX_LINES = 5000;
const MAX_LINE_CHARS = 4096;

/** Process groups still alive; killed if this process exits first, so a rehearsal never leaves a server behind. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pgid of liveGroups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

/** Pids whose process group is `pgid`, from /proc (Linux); null elsewhere. */
export async function processGroupMembers(pgid: number): Promise<number[] | null> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return null;
  }
  const members: number[] = [];
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map(async (e) => {
        try {
          const stat = await readFile(`/proc/${e}/stat`, 'utf8');
          // Fields after the command name (which may contain spaces and parentheses): state ppid pgrp ...
          const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          if (rest[0] !== 'Z' && rest[0] !== 'X' && Number(rest[2]) === pgid) members.push(Number(e));
        } catch {
          /* exited while we looked */
        }
      }),
  );
  return members.sort((a, b) => a - b);
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
      const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
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
        liveGroups.add(pid);
        void exited.then(async () => {
          // The group may outlive its leader; forget it only once it is empty.
          const members = await processGroupMembers(pid);
          if (members !== null && members.length === 0) liveGroups.delete(pid);
        });
        const signalGroup = (signal: 'SIGTERM' | 'SIGKILL' | 'SIGINT') => {
          try {
            process.kill(-pid, signal);
            return true;
          } catch {
            return false;
          }
        };
        resolve({
          pid,
          lines: () => lines.slice(),
          exited,
          exitInfo: () => exit,
          signalGroup,
          groupMembers: () => processGroupMembers(pid),
          async killGroup() {
            // Once the leader is gone and the group is empty, the id may be reused: signal nothing.
            const members = exit ? await processGroupMembers(pid) : null;
            if (!exit || members === null || members.length > 0) signalGroup('SIGKILL');
            await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
            // SIGKILL is asynchronous: on a loaded machine members linger for a moment. Wait until
            // the group is really empty so callers can rely on "nothing left running".
            for (let waited = 0; waited < 5000; waited += 50) {
              const left = await processGroupMembers(pid);
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
