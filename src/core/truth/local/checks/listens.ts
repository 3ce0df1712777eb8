import type { TruthCheck } from '../../runner.js';
import type { LocalRehearsalData } from '../context.js';

const WILDCARD = new Set(['0.0.0.0', '::']);
const isLoopback = (a: string) => a.startsWith('127.') || a === '::1' || a.startsWith('::ffff:127.');

/**
 * A container is reached on its pod IP, never on loopback: the service must listen on all interfaces.
 * Read the listening sockets (/proc/net/tcp{,6}) and connect through a non-loopback address of this machine.
 */
export function listensAllInterfacesCheck(): TruthCheck<LocalRehearsalData> {
  return {
    id: 'listens-all-interfaces',
    required: true,
    dependsOn: ['start'],
    async run({ data }) {
      // A process that died listens nowhere: that is the crash stays-up reports, not a bind address to blame.
      if (data.proc?.exitInfo()) return { status: 'skip', summary: 'the service had already exited (see stays-up)', skipReason: 'the process was no longer running' };
      const { sockets } = data.system;
      const listeners = await sockets.listeners(data.port);
      const external = sockets.externalAddresses()[0] ?? null;
      const reachable = external ? await sockets.canConnect(external, data.port, 1000) : null;
      const evidence = { port: data.port, listening_addresses: listeners, probe_address: external, reachable_via_probe_address: reachable };
      const fix = `listen on all interfaces: server.listen(process.env.PORT, '0.0.0.0') or omit the host`;
      if (listeners !== null && listeners.length > 0) {
        if (listeners.some((a) => WILDCARD.has(a))) return { status: 'pass', summary: `listening on ${listeners.join(', ')} port ${data.port} (all interfaces)`, evidence };
        const where = listeners.every(isLoopback) ? 'loopback only' : 'specific addresses only';
        return { status: 'fail', summary: `listening on ${listeners.join(', ')} (${where}): unreachable from outside the container; ${fix}`, evidence };
      }
      if (reachable === true) return { status: 'pass', summary: `answers on ${external}:${data.port}, a non-loopback address`, evidence };
      if (reachable === false) return { status: 'fail', summary: `does not accept connections on ${external}:${data.port} (non-loopback); ${fix}`, evidence };
      return { status: 'warn', summary: 'cannot tell which interfaces it listens on (no /proc and no non-loopback address here)', evidence };
    },
  };
}
