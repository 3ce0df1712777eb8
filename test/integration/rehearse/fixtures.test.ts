import { describe, expect, it } from 'vitest';
import { RuntimeTruthReportSchema, verifyDigest } from '../../../src/core/state/runtime-truth-schema.js';
import { processGroupMembers, processSupervisor } from '../../../src/system/process-supervisor.js';
import { rehearse } from '../../../src/core/truth/local/rehearse.js';
import { nodeHttp } from '../../../src/system/http.js';
import { execaRunner } from '../../../src/system/runner.js';
import { systemSockets } from '../../../src/system/sockets.js';
import { gitWorktree } from '../../../src/system/worktree.js';
import { analysisForFixture, fixedAnalyzer, makeRepo, readExpected } from './support.js';

const system = { worktree: gitWorktree(execaRunner), supervisor: processSupervisor, sockets: systemSockets };

const FIXTURE_NAMES = [
  'plain-http-good',
  'plain-http-localhost',
  'plain-http-crash',
  'plain-http-ignores-sigterm',
  'plain-http-logs-secret',
  'plain-http-slow-health',
];

/** Real processes: each fixture is committed to a temp repo, installed with npm ci, started with npm start. */
describe.concurrent('local rehearsal of the plain-http fixtures', { timeout: 60_000 }, () => {
  for (const name of FIXTURE_NAMES) {
    it(`${name}: verdict and failing checks match expected.json`, async () => {
      const expected = readExpected(name);
      const repo = await makeRepo(name);
      const pids: number[] = [];
      try {
        const report = await rehearse(repo.dir, {
          analyze: fixedAnalyzer(analysisForFixture(name)),
          runner: execaRunner,
          http: nodeHttp,
          system: { ...system, supervisor: { start: async (c, a, o) => { const p = await processSupervisor.start(c, a, o); pids.push(p.pid); return p; } } },
          hostEnv: process.env,
          budgetMs: 40_000,
          stabilityMs: 2500,
          shutdownGraceMs: 3000,
          inFlightPath: '/slow',
        });
        const failing = report.checks.filter((c) => c.status === 'fail').map((c) => c.id).sort();
        expect({ verdict: report.verdict, failing }, JSON.stringify(report.checks, null, 2)).toEqual({ verdict: expected.rehearsal.verdict, failing: [...expected.rehearsal.failing].sort() });
        for (const id of expected.rehearsal.warnings ?? []) expect(report.checks.find((c) => c.id === id)?.status).toBe('warn');
        expect(report.target).toBe('local');
        expect(RuntimeTruthReportSchema.parse(report)).toEqual(report);
        expect(verifyDigest(report)).toBe(true);
        // The placeholder given for a required secret never reaches the report.
        expect(JSON.stringify(report)).not.toContain('rehearsal-placeholder-');
        // Nothing is left running.
        for (const pid of pids) expect(await processGroupMembers(pid)).toEqual([]);
      } finally {
        repo.remove();
      }
    });
  }
});
