import { readFile } from 'node:fs/promises';
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

/** Local addresses of LISTEN sockets on `port` in a /proc/net/tcp or tcp6 table. */
export function parseProcNetTcp(table: string, port: number): string[] {
  const out: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const local = cols[1];
    if (!local || cols[3] !== LISTEN) continue;
    const [addrHex, portHex] = local.split(':');
    if (!addrHex || !portHex || parseInt(portHex, 16) !== port) continue;
    const bytes = procHexToBytes(addrHex);
    out.push(bytes.length === 4 ? bytes.join('.') : formatIpv6(bytes));
  }
  return out;
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
    const tables = await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((f) => readFile(f, 'utf8').catch(() => null)));
    if (tables.every((t) => t === null)) return null;
    return [...new Set(tables.flatMap((t) => (t === null ? [] : parseProcNetTcp(t, port))))];
  },

  externalAddresses() {
    const all = Object.values(networkInterfaces())
      .flat()
      .filter((i): i is NonNullable<typeof i> => Boolean(i) && !i!.internal && !i!.address.startsWith('fe80:'));
    return [...all.filter((i) => i.family === 'IPv4'), ...all.filter((i) => i.family !== 'IPv4')].map((i) => i.address);
  },
};
