import { join } from 'node:path';
import { z } from 'zod';
import { readTextIfExists, writeFileAtomic } from '../system/atomic-file.js';

/**
 * `.sealos/deploy-plan.json`: the identity a shown first-deploy plan chose (app_name/app_host are
 * random per render), so the confirming run applies exactly the names that were shown. Once applied,
 * it stays until the rollout succeeds: a first deploy that failed is retried under the same names
 * (whatever the template became), instead of leaving the broken app behind and creating a second.
 */
export const PENDING_PLAN_PATH = '.sealos/deploy-plan.json';
const MAX_AGE_MS = 24 * 60 * 60_000;

const PendingSchema = z.object({
  plan_id: z.string(),
  namespace: z.string(),
  app_name: z.string().min(1),
  app_host: z.string().min(1),
  template_digest: z.string(),
  created_at: z.string(),
  /** Set when these names were applied to the cluster (the rollout had not succeeded yet). */
  applied_at: z.string().optional(),
});
export type PendingPlan = z.infer<typeof PendingSchema>;

export async function readPendingPlan(dir: string, match: { namespace: string; template_digest: string }, now: Date): Promise<PendingPlan | null> {
  const text = await readTextIfExists(join(dir, PENDING_PLAN_PATH));
  if (text === null) return null;
  try {
    const p = PendingSchema.parse(JSON.parse(text));
    if (p.namespace !== match.namespace) return null;
    if (p.applied_at) return p;
    if (p.template_digest !== match.template_digest) return null;
    if (now.getTime() - Date.parse(p.created_at) > MAX_AGE_MS) return null;
    return p;
  } catch {
    return null;
  }
}

export async function writePendingPlan(dir: string, plan: PendingPlan): Promise<void> {
  await writeFileAtomic(join(dir, PENDING_PLAN_PATH), JSON.stringify(plan, null, 2) + '\n');
}
