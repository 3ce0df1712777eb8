import { isDeployError } from '../../../errors.js';
import type { TruthCheck } from '../../runner.js';
import { parseCommandLine } from '../command-line.js';
import { withCorepack } from '../corepack.js';
import { LOOPBACK, picksPort, seconds, setPortEnv, tail, type LocalRehearsalData } from '../context.js';
import type { SupervisedProcess } from '../ports.js';

/** Errors of a client that could not reach (or use) its database: a placeholder host, a refused connection, no schema. */
const DB_UNREACHABLE =
  /rehearsal-placeholder|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|getaddrinfo|Mongo(Network|ServerSelection|Parse)Error|Invalid scheme|Can't reach database server|P1001|P1012|P1013|SequelizeConnection|password authentication failed|database "[^"]*" does not exist|no such table|ER_ACCESS_DENIED|Redis connection/i;

/**
 * Why a started process is gone: its exit, and whether it left children running (a backgrounded server). A service
 * with a database that died on a connection error needs that database to start: said in plain words.
 */
export async function describeExit(proc: SupervisedProcess, database?: { engine: string | null; env_key: string | null }): Promise<{ summary: string; evidence: Record<string, unknown> }> {
  const exit = proc.exitInfo();
  const members = await proc.groupMembers();
  const how = exit?.signal ? `was killed by ${exit.signal}` : `exited with code ${exit?.code ?? '?'}`;
  const evidence = { exit_code: exit?.code ?? null, exit_signal: exit?.signal ?? null, exited_after_ms: exit?.at_ms ?? null, processes_left: members?.length ?? null, log_tail: tail(proc.lines(), 20) };
  if (members && members.length > 0)
    return {
      summary: `the start command ${how} after ${seconds(exit?.at_ms ?? 0)} but ${members.length} process(es) it started keep running: it backgrounds the server (&, a daemon, a process manager); start one foreground process`,
      evidence,
    };
  const noDb = database?.engine && database.engine !== 'sqlite' && proc.lines().slice(-40).some((l) => DB_UNREACHABLE.test(l.text));
  const db = noDb ? `; it could not reach its ${database!.engine} database${database!.env_key ? ` (${database!.env_key})` : ''}: give the rehearsal one with --env-file` : '';
  return { summary: `the service ${how} after ${seconds(exit?.at_ms ?? 0)}${db}`, evidence };
}

/** Ports the service's processes listen on other than the one it was given (empty when unknown). */
async function portsElsewhere(proc: SupervisedProcess, data: LocalRehearsalData): Promise<number[]> {
  const members = (await proc.groupMembers()) ?? [];
  const ports = await data.system.sockets.listeningPorts([...new Set([proc.pid, ...members])]);
  return (ports ?? []).filter((p) => p !== data.port);
}

export function startCheck(start: string | null, after: string, ordered: string[] = []): TruthCheck<LocalRehearsalData> {
  return {
    id: 'start',
    required: true,
    dependsOn: [after],
    // After the migrate step whatever it found: the app may start without a database here.
    after: ordered,
    async run({ data, signal, clock }) {
      if (start === null) return { status: 'fail', summary: 'no start command: add a "start" script to package.json (or start_command in .sealos/config.json)', evidence: {} };
      // Something else answering on the port would make every later check probe the wrong server. A port the
      // rehearsal picked itself (the service reads PORT) was free a moment ago: another process took it since,
      // so pick again; a port the service insists on is the user's to free. Before the command line is read,
      // which may name the port (`--port $PORT`).
      for (let tries = 0; await data.system.sockets.canConnect(LOOPBACK, data.port, 500); tries++) {
        if (!picksPort(data.analysis) || tries === 3) return { status: 'fail', summary: `port ${data.port} is already in use on this machine: stop what listens there and re-run`, evidence: { command: start, port: data.port } };
        data.port = await data.system.sockets.freePort();
        setPortEnv(data.appEnv, data.analysis, data.port);
      }
      let parsed;
      try {
        parsed = parseCommandLine(start, data.appEnv);
      } catch (err) {
        if (isDeployError(err)) return { status: 'fail', summary: err.message, evidence: { command: start, next: err.next } };
        throw err;
      }
      const [program, ...args] = parsed.argv as [string, ...string[]];
      const env = { ...data.appEnv, ...parsed.env };
      // `yarn start` on a machine without a global yarn: through corepack, as the install ran.
      const line = await withCorepack(data.runner, program, args, { cwd: data.unitDir, env });
      if (!line.argv) return { status: 'fail', summary: line.why, evidence: { command: start } };
      const [runProgram, ...runArgs] = line.argv as [string, ...string[]];
      const t0 = clock.now().getTime();
      const proc = await data.system.supervisor.start(runProgram, runArgs, { cwd: data.unitDir, env: line.env });
      data.proc = proc;
      data.startedCommand = start;
      // Started after the budget ran out: the rehearsal's cleanup may already have run, so stop it here.
      if (signal.aborted) {
        await proc.killGroup();
        throw signal.reason;
      }
      const issues = data.analysis.commands.start_issues;
      const base = { command: start, pid: proc.pid, port: data.port, env_names: Object.keys(data.appEnv).sort(), placeholder_env: data.placeholders, ...(issues.length ? { start_issues: issues } : {}) };
      for (;;) {
        if (proc.exitInfo()) {
          const exit = await describeExit(proc, data.analysis.database);
          return { status: 'fail', summary: `before listening on port ${data.port}: ${exit.summary}`, evidence: { ...base, ...exit.evidence } };
        }
        const up = (await data.system.sockets.canConnect(LOOPBACK, data.port, 500)) || (await data.system.sockets.canConnect('::1', data.port, 500));
        const elapsed = clock.now().getTime() - t0;
        if (up) return { status: 'pass', summary: `accepting connections on port ${data.port} after ${seconds(elapsed)}`, evidence: { ...base, ready_after_ms: elapsed } };
        if (elapsed >= data.startupTimeoutMs) {
          const evidence = { ...base, waited_ms: elapsed, log_tail: tail(proc.lines(), 20) };
          const elsewhere = await portsElsewhere(proc, data);
          if (elsewhere.length > 0) {
            const other = elsewhere[0]!;
            return {
              status: 'fail',
              summary: `listens on port ${elsewhere.join(', ')}, not on port ${data.port} given in PORT: it does not take its port from the environment. Make it listen on process.env.PORT, or set "port": ${other} in .sealos/config.json so the deployment sends traffic there`,
              evidence: { ...evidence, listening_ports: elsewhere },
            };
          }
          const hint = data.analysis.port.reads_env ? '' : ` (the analysis found no read of ${data.analysis.port.env_name ?? 'PORT'}: the service may listen on a fixed port)`;
          return { status: 'fail', summary: `not accepting connections on port ${data.port} ${seconds(data.startupTimeoutMs)} after start${hint}`, evidence };
        }
        await clock.sleep(150, signal);
      }
    },
  };
}
