import { describe, expect, it } from 'vitest';
import { refusedElsewhere } from '../../../src/cluster/diagnose.js';

const refused = (port: number) => `Unhealthy: Readiness probe failed: Get "http://10.1.0.7:${port}/healthz": dial tcp 10.1.0.7:${port}: connect: connection refused`;

describe('a probe refused on one port while the app names another', () => {
  it('finds the port in the startup lines apps print', () => {
    const cases: Array<[string, number]> = [
      ['Listening on 127.0.0.1:2368', 2368],
      ['Your site is now available on http://localhost:2368/', 2368],
      ['Server is running on port 4873', 4873],
      ['http server listening on [::]:9000', 9000],
      ['{"level":30,"msg":"Server listening at http://0.0.0.0:1337"}', 1337],
      ['ready - started server on port=8055', 8055],
    ];
    for (const [line, port] of cases) expect(refusedElsewhere(refused(3000), ['booting', line]), line).toMatchObject({ probed: 3000, logged: port });
  });

  it('says nothing when the probe was answered, the app names the probed port, or no startup line names a port', () => {
    expect(refusedElsewhere('Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503', ['Listening on port 2368'])).toBeNull();
    expect(refusedElsewhere(refused(3000), ['Listening on port 3000'])).toBeNull();
    expect(refusedElsewhere(refused(3000), ['Server connected to database at 10.0.0.5:5432', 'cache warm'])).toBeNull();
  });
});
