import type { Analysis, Finding } from '../state/analysis-schema.js';
import type { Loaded } from './inputs.js';
import type { TruthView } from './context.js';
import type { ArtifactName, EvidenceResult, RowName, ScorecardRow, ScoreEvidence } from './schema.js';

const short = (s: string, n = 200): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Collects one row's evidence. Any blocker makes the row not ready; otherwise any gap (missing or
 * unusable evidence) makes it unknown; only a row with neither is ready. Nothing is ready by default.
 */
export class RowBuilder {
  readonly evidence: ScoreEvidence[] = [];
  private readonly blockers: string[] = [];
  private readonly gaps: string[] = [];

  constructor(readonly row: RowName) {}

  add(artifact: ArtifactName, key: string, result: EvidenceResult, text: string): this {
    this.evidence.push({ artifact, key, result, text: short(text) });
    return this;
  }

  /** Failing evidence with the change that fixes it. */
  block(artifact: ArtifactName, key: string, text: string, fix: string): this {
    this.add(artifact, key, 'fail', text);
    if (!this.blockers.includes(fix)) this.blockers.push(fix);
    return this;
  }

  /** Evidence the row needs but does not have. */
  gap(fix: string): this {
    if (!this.gaps.includes(fix)) this.gaps.push(fix);
    return this;
  }

  /** Records a missing or invalid artifact as a gap; returns the value when it is usable. */
  need<T>(loaded: Loaded<T>, artifact: ArtifactName, path: string, fix: string): T | null {
    if (loaded.state === 'ok') return loaded.value;
    if (loaded.state === 'missing') {
      this.add(artifact, path, 'info', `${path} does not exist`);
      this.gap(fix);
    } else {
      this.add(artifact, path, 'fail', `artifact invalid: ${loaded.reason}`);
      this.gap(`artifact invalid: ${path} (${short(loaded.reason, 120)}); ${fix}`);
    }
    return null;
  }

  /** Analysis findings with these ids: fail blocks, warn is noted with its fix, pass is evidence. */
  findings(a: Analysis, ids: readonly string[]): Finding[] {
    const found = a.findings.filter((f) => ids.includes(f.id));
    for (const f of found) {
      if (f.status === 'fail') this.block('analysis', `findings.${f.id}`, f.message, f.fix ?? f.message);
      else this.add('analysis', `findings.${f.id}`, f.status, f.status === 'warn' && f.fix ? `${f.message} Fix: ${f.fix}` : f.message);
    }
    return found;
  }

  /**
   * Checks of a report that match `pattern`. From a fresh report, a failed check blocks; from a stale
   * one, checks are only noted. Returns how many fresh matching checks passed (or warned).
   */
  checks(view: TruthView | null, artifact: 'runtime-truth' | 'rehearsal', pattern: RegExp, fix: string): { passed: number; failed: number } {
    let passed = 0;
    let failed = 0;
    if (!view) return { passed, failed };
    for (const c of view.report.checks) {
      if (!pattern.test(c.id)) continue;
      const key = `checks.${c.id}`;
      if (!view.fresh) {
        this.add(artifact, key, 'info', `${c.status} in a stale report (${view.stale}): ${c.summary}`);
        continue;
      }
      if (c.status === 'fail') {
        failed++;
        this.block(artifact, key, c.summary, `${fix} (check ${c.id} failed: ${short(c.summary, 100)})`);
      } else if (c.status === 'skip') this.add(artifact, key, 'info', `skipped: ${c.skip_reason ?? c.summary}`);
      else {
        passed++;
        this.add(artifact, key, c.status, c.summary);
      }
    }
    return { passed, failed };
  }

  notNeeded(artifact: ArtifactName, key: string, why: string): ScorecardRow {
    return { row: this.row, status: 'not-needed', evidence: [...this.evidence, { artifact, key, result: 'info', text: short(why) }], fix: null };
  }

  done(): ScorecardRow {
    if (this.blockers.length) return { row: this.row, status: 'not-ready', evidence: this.evidence, fix: this.blockers.map(sentence).join(' ') };
    if (this.gaps.length) return { row: this.row, status: 'unknown', evidence: this.evidence, fix: this.gaps.map(sentence).join(' ') };
    return { row: this.row, status: 'ready', evidence: this.evidence, fix: null };
  }
}

/** Joins fix sentences so each ends with a period. */
export function sentence(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`;
}
