import { describe, expect, it } from 'vitest';
import { parseProcNetTcp } from '../../../src/system/sockets.js';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
   1: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0 100 0 0 10 0
   2: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 20 4 30 10 -1
   3: 020200C0:1F92 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1 0 100 0 0 10 0
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5 1 0 100 0 0 10 0
   1: 00000000000000000000000001000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 6 1 0 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:1F92 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7 1 0 100 0 0 10 0
`;

describe('parseProcNetTcp', () => {
  it('reads IPv4 listeners for a port (LISTEN only, little-endian addresses)', () => {
    expect(parseProcNetTcp(TCP, 8080)).toEqual(['127.0.0.1']);
    expect(parseProcNetTcp(TCP, 8081)).toEqual(['0.0.0.0']);
    expect(parseProcNetTcp(TCP, 8082)).toEqual(['192.0.2.2']);
    expect(parseProcNetTcp(TCP, 9999)).toEqual([]);
  });
  it('reads IPv6 listeners: ::, ::1 and IPv4-mapped', () => {
    expect(parseProcNetTcp(TCP6, 8080)).toEqual(['::']);
    expect(parseProcNetTcp(TCP6, 8081)).toEqual(['::1']);
    expect(parseProcNetTcp(TCP6, 8082)).toEqual(['::ffff:127.0.0.1']);
  });
});
