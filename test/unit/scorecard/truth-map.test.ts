import { describe, expect, it } from 'vitest';
import { rowOfCheck } from '../../../src/core/scorecard/truth-map.js';

describe('Truth Pass check ids → scorecard rows', () => {
  it.each([
    ['health-endpoint', 'Health and readiness'],
    ['root', 'Health and readiness'],
    ['tls-certificate', 'Domain and HTTPS'],
    ['public-url', 'Domain and HTTPS'],
    ['logs-after-smoke', 'Monitoring and logs'],
    ['startup-log-port', 'Monitoring and logs'],
    ['footprint', 'Scaling'],
    ['database-read-write', 'Database and migrations'],
    ['stays-up', 'Process model'],
    ['start', 'Process model'],
    ['rollout', 'Process model'],
    ['no-secret-in-logs', 'Security'],
    ['install', 'Build and image'],
  ])('%s belongs to %s', (id, row) => {
    expect(rowOfCheck(id)).toBe(row);
  });

  it('leaves an id no row claims unmapped', () => {
    expect(rowOfCheck('quota-headroom')).toBeNull();
  });
});
