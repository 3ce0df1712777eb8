import { readdir, readFile, readlink } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Sockets } from '../core/truth/local/ports.js';

const LISTEN = '0A';

/** "0100007F" (little-endian per 32-bit word, as /proc prints it) → bytes in network order. */
function procHexToBytes(hex: string): number[] {
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = hex.slice(w, w + 8);
    for (let i = 6; i >= 0; i -= 2) bytes.push(parseInt(word.slice(i, i + 2), 16));
  }
  return bytes;
}

function formatIpv6(bytes: number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  // IPv4-mapped ::ffff:a.b.c.d
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${bytes.slice(12).join('.')}`;
  // Compress the longest run of zero groups.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

interface ProcListener {
  address: string;
  port: number;
  inode: string;
}

/** LISTEN sockets in a /proc/net/tcp or tcp6 table: local address, port and socket inode. */
function procListeners(table: string): ProcListener[] {
  const out: ProcListener[] = [];
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const local = cols[1];
    if (!local || cols[3] !== LISTEN) continue;
    const [addrHex, portHex] = local.split(':');
    if (!addrHex || !portHex) continue;
    const bytes = procHexToBytes(addrHex);
    out.push({ address: bytes.length === 4 ? bytes.join('.') : formatIpv6(bytes), port: parseInt(portHex, 16), inode: cols[9] ?? '' });
  }
  return out;
}

/** Local addresses of LISTEN sockets on `port` in a /proc/net/tcp or tcp6 table. */
export function parseProcNetTcp(table: string, port: number): string[] {
  return procListeners(table)
    .filter((l) => l.port === port)
    .map((l) => l.address);
}

const readTcpTables = () => Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((f) => readFile(f, 'utf8').catch(() => null)));

/** Inodes of the sockets a process holds open (`/proc/<pid>/fd/* -> socket:[inode]`); empty when it is gone or not ours. */
async function socketInodes(pid: number): Promise<string[]> {
  const dir = `/proc/${pid}/fd`;
  const fds = await readdir(dir).catch(() => [] as string[]);
  const links = await Promise.all(fds.map((fd) => readlink(`${dir}/${fd}`).catch(() => '')));
  return links.flatMap((l) => (l.startsWith('socket:[') ? [l.slice(8, -1)] : []));
}

export const systemSockets: Sockets = {
  freePort: () =>
    new Promise((resolve, reject) => {
      const srv = createServer();
      srv.unref();
      srv.once('error', reject);
      srv.listen(0, '0.0.0.0', () => {
        const addr = srv.address();
        const port = typeof addr === 'object' && addr ? addr.port : 0;
        srv.close(() => resolve(port));
      });
    }),

  canConnect: (host, port, timeoutMs) =>
    new Promise((resolve) => {
      const socket = createConnection({ host, port });
      const done = (ok: boolean) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(ok);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    }),

  async listeners(port) {
    const tables = await readTcpTables();
    if (tables.every((t) => t === null)) return null;
    return [...new Set(tables.flatMap((t) => (t === null ? [] : parseProcNetTcp(t, port))))];
  },

  async listeningPorts(pids) {
    const tables = await readTcpTables();
    if (tables.every((t) => t === null)) return null;
    const inodes = new Set((await Promise.all(pids.map(socketInodes))).flat());
    const ports = tables.flatMap((t) => (t === null ? [] : procListeners(t))).filter((l) => inodes.has(l.inode)).map((l) => l.port);
    return [...new Set(ports)].sort((a, b) => a - b);
  },

  externalAddresses() {
    const all = Object.values(networkInterfaces())
      .flat()
      .filter((i): i is NonNullable<typeof i> => Boolean(i) && !i!.internal && !i!.address.startsWith('fe80:'));
    return [...all.filter((i) => i.family === 'IPv4'), ...all.filter((i) => i.family !== 'IPv4')].map((i) => i.address);
  },
};
