import { lazyCrypto } from '../lazy-crypto.js';
import { z } from 'zod';

/**
 * `.sealos/runtime-truth.json` (cluster Truth Pass, the launch gate) and `.sealos/rehearsal.json`
 * (local rehearsal, same shape with `target: "local"`).
 * Scripts depend on: target, verdict, checks[].{id,status,required,summary,evidence,duration_ms},
 * identity, started_at, finished_at, digest. Add fields freely, never rename or remove.
 */
export const RUNTIME_TRUTH_SCHEMA_VERSION = 1;

export const CheckStatus = z.enum(['pass', 'fail', 'warn', 'skip']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const TruthTarget = z.enum(['cluster', 'local']);
export type TruthTarget = z.infer<typeof TruthTarget>;

export const Verdict = z.enum(['accepted', 'rejected']);
export type Verdict = z.infer<typeof Verdict>;

export const CheckResultSchema = z
  .object({
    id: z.string().min(1),
    status: CheckStatus,
    /** A required check must pass (or warn) for the verdict to be accepted. */
    required: z.boolean(),
    summary: z.string(),
    /** What was requested, what came back, timings, the log lines that matter; always redacted. */
    evidence: z.record(z.string(), z.unknown()),
    duration_ms: z.number().min(0),
    /** Why the check did not run; set exactly when status is skip. */
    skip_reason: z.string().nullable(),
  })
  .superRefine((c, ctx) => {
    if (c.status === 'skip' && !c.skip_reason) ctx.addIssue({ code: 'custom', message: 'a skipped check carries a skip_reason', path: ['skip_reason'] });
  });
export type CheckResult = z.infer<typeof CheckResultSchema>;

/**
 * Who was verified. One flat object: the cluster pass fills app_name/namespace/image/url/host,
 * a local rehearsal fills dir/commit/port/command.
 */
export const TruthIdentitySchema = z.object({
  app_name: z.string().optional(),
  namespace: z.string().optional(),
  image: z.string().optional(),
  url: z.string().optional(),
  host: z.string().optional(),
  dir: z.string().optional(),
  /** The unit inside dir, "" for dir itself. */
  path: z.string().optional(),
  commit: z.string().optional(),
  port: z.number().int().min(1).max(65535).optional(),
  command: z.string().optional(),
});
export type TruthIdentity = z.infer<typeof TruthIdentitySchema>;

export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

export const RuntimeTruthReportSchema = z.object({
  schema_version: z.literal(RUNTIME_TRUTH_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('sealos-deploy'), version: z.string() }),
  target: TruthTarget,
  verdict: Verdict,
  /** One sentence: why accepted or rejected. */
  verdict_reason: z.string(),
  /** Ids of required checks that did not pass (fail or skip); empty when accepted. */
  blocking: z.array(z.string()),
  identity: TruthIdentitySchema,
  started_at: z.string(),
  finished_at: z.string(),
  duration_ms: z.number().min(0),
  budget_ms: z.number().int().min(0),
  /** How long the service had to stay up without exiting or restarting. */
  stability_window_seconds: z.number().min(0),
  checks: z.array(CheckResultSchema),
  /** sha256 over the canonical JSON of the report without this key. */
  digest: z.string().regex(DIGEST_PATTERN),
});
export type RuntimeTruthReport = z.infer<typeof RuntimeTruthReportSchema>;
export type UnsealedReport = Omit<RuntimeTruthReport, 'digest'>;

/** JSON with object keys sorted at every level and no whitespace; undefined members are dropped like JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  const norm = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : norm(x)));
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return norm((v as { toJSON: () => unknown }).toJSON());
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined && typeof x !== 'function') out[k] = norm(x);
    }
    return out;
  };
  return JSON.stringify(norm(value));
}

/** `sha256:<hex>` over the canonical JSON of the report without its `digest` key. */
export function computeDigest(report: UnsealedReport | RuntimeTruthReport): string {
  const { digest: _ignored, ...rest } = report as RuntimeTruthReport;
  return 'sha256:' + lazyCrypto().createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex');
}

/** True when the report's digest matches its content: nothing was edited after the pass wrote it. */
export function verifyDigest(report: RuntimeTruthReport | (UnsealedReport & { digest?: unknown })): boolean {
  const digest = (report as { digest?: unknown }).digest;
  return typeof digest === 'string' && DIGEST_PATTERN.test(digest) && digest === computeDigest(report as UnsealedReport);
}

/** Adds the digest; the result is ready to write. */
export function sealReport(report: UnsealedReport): RuntimeTruthReport {
  return { ...report, digest: computeDigest(report) };
}
