import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scorecardCommand } from '../../../src/cli/commands/scorecard.js';
import type { CliIo } from '../../../src/cli/command.js';
import { DeployError } from '../../../src/core/errors.js';
import type { Clock } from '../../../src/core/ports.js';
import { ScorecardSchema } from '../../../src/core/scorecard/index.js';
import { recordRelease } from '../../../src/core/state/store.js';
import { renderTemplate } from '../../../src/core/template/index.js';
import { analyzeProject } from '../../../src/ops/analyze.js';
import { readinessScorecard } from '../../../src/ops/scorecard.js';
import { nodeStateIo, writeFileAtomic } from '../../../src/system/atomic-file.js';
import { acceptedTruth, buildResult } from '../../unit/scorecard/helpers.js';

const FIXTURE = join(import.meta.dirname, '../../fixtures/apps/express-basic');
const V1 = 'ghcr.io/acme/express-basic:20260820-a1';
const V2 = 'ghcr.io/acme/express-basic:20260901-c3';
const NS = 'ns-team42';

function truthFor(image: string) {
  return acceptedTruth(image, [{ id: 'stays-up' }]);
}
function fixedClock(iso: string): Clock {
  return { now: () => new Date(iso), sleep: async () => {} };
}
function cliIo(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, env: {} };
  return { io, out, err };
}

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scorecard-'));
  cpSync(FIXTURE, dir, { recursive: true });
  const { analysis } = await analyzeProject(dir);
  await writeFileAtomic(join(dir, '.sealos/template/index.yaml'), renderTemplate(analysis, { image: V2 }).yaml);
  await writeFileAtomic(join(dir, '.sealos/build/build-result.json'), JSON.stringify(buildResult({ image: V2, git_commit: null, push: { remote_image: V2, pushed_at: '2026-09-01T10:03:00Z' } })));
  const sealos = join(dir, '.sealos');
  const io = nodeStateIo();
  // Record under the identity the helper's Truth reports verified (app demo-api-abcdefgh in ns-team42).
  const t1 = truthFor(V1);
  const target = { app_name: t1.identity.app_name!, app_host: 'express-basic-hostaaaa', namespace: t1.identity.namespace!, region: 'usw-1.sealos.io', repo_name: 'express-basic', docker_hub_user: null, url: t1.identity.url! };
  await recordRelease(sealos, { action: 'deploy', target, image: V1 }, t1, { io, clock: fixedClock('2026-08-20T09:00:00Z') });
  const t2 = truthFor(V2);
  await recordRelease(sealos, { action: 'update', image: V2, template_digest: 'sha256:abc' }, t2, { io, clock: fixedClock('2026-09-01T11:00:00Z') });
  await writeFileAtomic(join(dir, '.sealos/runtime-truth.json'), JSON.stringify(t2, null, 2));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readinessScorecard on real artifacts', () => {
  it('scores the fixture app as launchable and writes a RUNBOOK with its real commands and previous image', async () => {
    const { scorecard, runbook_path } = await readinessScorecard(dir);
    expect(ScorecardSchema.parse(scorecard)).toEqual(scorecard);
    expect(scorecard.rows.filter((r) => r.status !== 'ready' && r.status !== 'not-needed').map((r) => `${r.row}: ${r.fix}`)).toEqual([]);
    expect(scorecard.overall.launchable).toBe(true);
    expect(runbook_path).toBe(join(dir, '.sealos/RUNBOOK.md'));
    const md = readFileSync(runbook_path!, 'utf8');
    expect(md).toContain(`sealos-deploy rollback . --to ${V1} --confirm`);
    expect(md).toContain(`| \`${V1}\` | 2026-08-20T09:00:00.000Z | deploy |`);
    expect(md).toContain(`kubectl logs -l app=demo-api-abcdefgh -n ${NS}`);
    expect(md).toContain('sealos-deploy deploy . --confirm');
    expect(md).toContain('- Start: `npm start`');
    expect(md).toContain('- Verdict: **accepted**, finished 2026-09-05T12:02:00Z (cluster)');
  });

  it('writes the same bytes on every run', async () => {
    const first = readFileSync((await readinessScorecard(dir)).runbook_path!, 'utf8');
    const second = readFileSync((await readinessScorecard(dir)).runbook_path!, 'utf8');
    expect(second).toBe(first);
  });

  it('with writeRunbook false leaves RUNBOOK.md alone and reports it as kept', async () => {
    const path = join(dir, '.sealos/RUNBOOK.md');
    writeFileSync(path, 'hand-written\n');
    const { scorecard, runbook_path } = await readinessScorecard(dir, { writeRunbook: false });
    expect(runbook_path).toBeNull();
    expect(readFileSync(path, 'utf8')).toBe('hand-written\n');
    expect(scorecard.rows.find((r) => r.row === 'Runbook')!.evidence[0]!.text).toMatch(/kept from an earlier run/);
  });

  it('turns a corrupt artifact into unknown rows instead of failing', async () => {
    const build = join(dir, '.sealos/build/build-result.json');
    const good = readFileSync(build, 'utf8');
    const truthPath = join(dir, '.sealos/runtime-truth.json');
    const truth = readFileSync(truthPath, 'utf8');
    try {
      writeFileSync(build, '{"schema_version": 1, "outcome": "succ');
      writeFileSync(truthPath, truth.replace('"verdict": "accepted"', '"verdict": "rejected"'));
      const { scorecard } = await readinessScorecard(dir, { writeRunbook: false });
      const row = scorecard.rows.find((r) => r.row === 'Build and image')!;
      expect(row.status).toBe('unknown');
      expect(row.fix).toMatch(/^artifact invalid: \.sealos\/build\/build-result\.json \(not JSON/);
      expect(scorecard.artifacts.find((a) => a.artifact === 'runtime-truth')!.detail).toMatch(/digest does not match/);
      expect(scorecard.overall.launchable).toBe(false);
    } finally {
      writeFileSync(build, good);
      writeFileSync(truthPath, truth);
    }
  });

  it('needs the analysis: a missing one is ARTIFACT_MISSING with the analyze step', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'scorecard-empty-'));
    try {
      const err = await readinessScorecard(empty).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeployError);
      expect((err as DeployError).code).toBe('ARTIFACT_MISSING');
      expect((err as DeployError).next).toMatch(/sealos-deploy analyze/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('sealos-deploy scorecard', () => {
  it('prints the 14-row table and exits 0; --json gives the scorecard and the runbook path', async () => {
    const human = cliIo(dir);
    expect(await scorecardCommand.run({}, [], human.io)).toBe(0);
    const text = human.out.join('');
    expect(text).toMatch(/Build and image\s+Ready/);
    expect(text.trim().split('\n').length).toBeGreaterThanOrEqual(15);
    const json = cliIo('/');
    expect(await scorecardCommand.run({ json: true }, [dir], json.io)).toBe(0);
    const parsed = JSON.parse(json.out.join('')) as { scorecard: unknown; runbook_path: string };
    expect(ScorecardSchema.parse(parsed.scorecard).rows).toHaveLength(14);
    expect(parsed.runbook_path).toBe(join(dir, '.sealos/RUNBOOK.md'));
  });

  it('exits 0 when a row is not ready, and 1 with --strict', async () => {
    const tpl = join(dir, '.sealos/template/index.yaml');
    const good = readFileSync(tpl, 'utf8');
    try {
      writeFileSync(tpl, good.replace(/ {10}ports:\n {12}- name: http\n {14}containerPort: 3000/, '          ports:\n            - name: http\n              containerPort: 3001'));
      const a = cliIo(dir);
      expect(await scorecardCommand.run({ 'no-runbook': true }, [], a.io)).toBe(0);
      expect(a.out.join('')).toMatch(/Sealos generated resources\s+NOT READY/);
      const b = cliIo(dir);
      expect(await scorecardCommand.run({ 'no-runbook': true, strict: true }, [], b.io)).toBe(1);
    } finally {
      writeFileSync(tpl, good);
    }
  });
});
