import { z } from 'zod';

/**
 * The production readiness scorecard: the checklist's 14 rows, each with a status, the evidence it
 * rests on and the fix. Returned by `readiness_scorecard` / `sealos-deploy scorecard --json`.
 * Scripts depend on rows[].{row,status,evidence,fix} and overall.launchable: add fields, never rename.
 */
export const SCORECARD_SCHEMA_VERSION = 1;

/** The checklist's scorecard rows, in its order. */
export const ROW_NAMES = [
  'Build and image',
  'Process model',
  'Sealos generated resources',
  'Environment variables',
  'Health and readiness',
  'Database and migrations',
  'Domain and HTTPS',
  'Storage',
  'Scaling',
  'Monitoring and logs',
  'Backups',
  'Rollback path',
  'Security',
  'Runbook',
] as const;
export const RowName = z.enum(ROW_NAMES);
export type RowName = z.infer<typeof RowName>;

export const RowStatus = z.enum(['ready', 'not-ready', 'not-needed', 'unknown']);
export type RowStatus = z.infer<typeof RowStatus>;

export const ArtifactName = z.enum(['analysis', 'template', 'build-result', 'state', 'runtime-truth', 'rehearsal', 'runbook']);
export type ArtifactName = z.infer<typeof ArtifactName>;

export const EvidenceResult = z.enum(['pass', 'warn', 'fail', 'info']);
export type EvidenceResult = z.infer<typeof EvidenceResult>;

export const ScoreEvidenceSchema = z.object({
  artifact: ArtifactName,
  /** Finding id, check id or field path inside the artifact. */
  key: z.string(),
  result: EvidenceResult,
  text: z.string(),
});
export type ScoreEvidence = z.infer<typeof ScoreEvidenceSchema>;

export const ScorecardRowSchema = z
  .object({
    row: RowName,
    status: RowStatus,
    evidence: z.array(ScoreEvidenceSchema),
    /** What to do next; null exactly when the row is ready or not needed. */
    fix: z.string().nullable(),
  })
  .superRefine((r, ctx) => {
    const settled = r.status === 'ready' || r.status === 'not-needed';
    if (settled !== (r.fix === null)) ctx.addIssue({ code: 'custom', path: ['fix'], message: 'fix is null exactly when the row is ready or not needed' });
  });
export type ScorecardRow = z.infer<typeof ScorecardRowSchema>;

export const ArtifactStatusSchema = z.object({
  artifact: ArtifactName,
  /** Relative to the unit directory. */
  path: z.string(),
  status: z.enum(['ok', 'missing', 'invalid']),
  /** Why it is invalid; null otherwise. */
  detail: z.string().nullable(),
});
export type ArtifactStatus = z.infer<typeof ArtifactStatusSchema>;

export const ScorecardSchema = z
  .object({
    schema_version: z.literal(SCORECARD_SCHEMA_VERSION),
    project: z.object({ name: z.string(), path: z.string() }),
    artifacts: z.array(ArtifactStatusSchema),
    rows: z.array(ScorecardRowSchema).length(ROW_NAMES.length),
    overall: z.object({
      /** The launch gate: the current release's Truth Pass is accepted and no row is not ready. */
      launchable: z.boolean(),
      reason: z.string(),
      counts: z.object({ ready: z.number().int(), not_ready: z.number().int(), not_needed: z.number().int(), unknown: z.number().int() }),
      not_ready: z.array(RowName),
      unknown: z.array(RowName),
      truth: z.object({
        verdict: z.enum(['accepted', 'rejected']).nullable(),
        finished_at: z.string().nullable(),
        image: z.string().nullable(),
        /** The pass verified the release the other artifacts describe. */
        fresh: z.boolean(),
      }),
      /** Truth Pass checks no row claims, so they are still seen. */
      unmapped_checks: z.array(z.object({ id: z.string(), status: z.enum(['pass', 'fail', 'warn', 'skip']), required: z.boolean() })),
    }),
  })
  .superRefine((s, ctx) => {
    s.rows.forEach((r, i) => {
      if (r.row !== ROW_NAMES[i]) ctx.addIssue({ code: 'custom', path: ['rows', i, 'row'], message: `row ${i} must be "${ROW_NAMES[i]}"` });
    });
  });
export type Scorecard = z.infer<typeof ScorecardSchema>;
