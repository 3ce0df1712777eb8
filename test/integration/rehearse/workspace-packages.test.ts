import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { rehearse } from '../../../src/core/truth/local/rehearse.js';
import { nodeHttp } from '../../../src/system/http.js';
import { processSupervisor } from '../../../src/system/process-supervisor.js';
import { openRepoView } from '../../../src/system/repo-view.js';
import { execaRunner } from '../../../src/system/runner.js';
import { systemSockets } from '../../../src/system/sockets.js';
import { gitWorktree } from '../../../src/system/worktree.js';
import { makeRepo } from './support.js';

/**
 * Real npm, real processes: apps/api imports @greeter/greeting, whose `main` is the dist/ its build script writes.
 * The service starts only if the rehearsal builds that workspace package first.
 */
describe('local rehearsal of a workspace unit that runs a workspace package', () => {
  it('installs at the root, builds the package, then starts the unit on the port the package reads', { timeout: 90_000 }, async () => {
    const repo = await makeRepo('workspace-built-package');
    try {
      const report = await rehearse(repo.dir, {
        path: 'apps/api',
        analyze: async (d, o) => analyzeRepo(await openRepoView(d, execaRunner, { scanCache: false }), o),
        runner: execaRunner,
        http: nodeHttp,
        system: { worktree: gitWorktree(execaRunner), supervisor: processSupervisor, sockets: systemSockets },
        hostEnv: process.env,
        budgetMs: 60_000,
        stabilityMs: 1000,
        shutdownGraceMs: 3000,
      });
      const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
      expect(byId.build, JSON.stringify(report.checks, null, 2)).toMatchObject({ status: 'pass', summary: 'built packages/greeting' });
      expect({ verdict: report.verdict, start: byId.start?.status, health: byId.health?.status }, JSON.stringify(report.checks, null, 2)).toEqual({ verdict: 'accepted', start: 'pass', health: 'pass' });
    } finally {
      repo.remove();
    }
  });
});
