import { lazyCrypto } from '../core/lazy-crypto.js';
import { DeployError } from '../core/errors.js';

/** What a mutating tool is about to do, shown to the user before anything changes. */
export interface Plan {
  /** One or two sentences: what, where, and what it replaces. */
  summary: string;
  /** One line per change (resource, image, env key, database action). */
  changes: string[];
  /** Extra facts the user may want (diff, previous image, database warning). Part of the fingerprint. */
  details?: Record<string, unknown>;
}

interface StoredPlan {
  fingerprint: string;
  expiresAt: number;
}

/**
 * Plans waiting for confirmation, by id. Shared by every connection of one server process
 * (Streamable HTTP creates one McpServer per session), so a plan stays confirmable from a new session.
 * Ids are single-use: a confirmed or mismatched plan is forgotten.
 */
export class PlanStore {
  private readonly plans = new Map<string, StoredPlan>();

  constructor(
    private readonly ttlMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
    private readonly maxPlans = 200,
  ) {}

  issue(fingerprint: string): { planId: string; expiresAt: string } {
    this.prune();
    const planId = `plan_${lazyCrypto().randomUUID()}`;
    const expiresAt = this.now() + this.ttlMs;
    this.plans.set(planId, { fingerprint, expiresAt });
    // Oldest first: Map keeps insertion order.
    while (this.plans.size > this.maxPlans) this.plans.delete(this.plans.keys().next().value as string);
    return { planId, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** `ok` when the id is live and was issued for this exact plan; the id is consumed either way. */
  take(planId: string, fingerprint: string): 'ok' | 'unknown' | 'mismatch' {
    this.prune();
    const stored = this.plans.get(planId);
    if (!stored) return 'unknown';
    this.plans.delete(planId);
    return stored.fingerprint === fingerprint ? 'ok' : 'mismatch';
  }

  private prune(): void {
    const now = this.now();
    for (const [id, plan] of this.plans) if (plan.expiresAt <= now) this.plans.delete(id);
  }
}

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, stable((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** Binds a plan to the tool and the arguments it was computed from, so a plan id cannot confirm anything else. */
function planFingerprint(tool: string, args: Record<string, unknown>, plan: Plan): string {
  return lazyCrypto().createHash('sha256').update(JSON.stringify(stable({ tool, args, plan }))).digest('hex');
}

/** Asks the user through the client (MCP elicitation). Absent when the client did not declare the capability. */
export type AskUser = (message: string) => Promise<'accept' | 'decline' | 'cancel'>;

export interface ConfirmRequest {
  tool: string;
  /** The call's arguments without `confirm` and `plan_id`. */
  args: Record<string, unknown>;
  confirm: boolean | undefined;
  planId: string | undefined;
}

function renderPlan(tool: string, plan: Plan): string {
  const lines = [`${tool}: ${plan.summary}`, ...plan.changes.map((c) => `  - ${c}`)];
  return lines.join('\n');
}

/**
 * Resolves when the user agreed to this exact plan; throws a DeployError otherwise.
 * 1. `confirm: true` + a live `plan_id` issued for the same plan → proceed (no second prompt).
 * 2. A `plan_id` that is unknown, expired or issued for a different plan → PLAN_MISMATCH with a fresh plan id.
 * 3. The client supports elicitation → ask; accept → proceed; decline/cancel → CANCELLED.
 * 4. Otherwise (or when elicitation fails) → CONFIRMATION_REQUIRED carrying the plan and its id.
 */
export async function confirmPlan(plan: Plan, req: ConfirmRequest, store: PlanStore, ask: AskUser | undefined): Promise<void> {
  const fingerprint = planFingerprint(req.tool, req.args, plan);
  const again = `call ${req.tool} again with the same arguments plus confirm: true and plan_id`;

  if (req.planId !== undefined) {
    const outcome = req.confirm === true ? store.take(req.planId, fingerprint) : 'unconfirmed';
    if (outcome === 'ok') return;
    if (outcome !== 'unconfirmed') {
      const fresh = store.issue(fingerprint);
      throw new DeployError(
        'PLAN_MISMATCH',
        outcome === 'unknown'
          ? `Plan ${req.planId} is unknown or expired; nothing was changed. The current plan: ${plan.summary}`
          : `The plan changed since plan ${req.planId} was shown (the arguments or the live state differ); nothing was changed. The current plan: ${plan.summary}`,
        `Show the current plan to the user; if they agree, ${again}: "${fresh.planId}".`,
        { plan_id: fresh.planId, expires_at: fresh.expiresAt, plan },
      );
    }
  }

  if (ask) {
    let answer: Awaited<ReturnType<AskUser>> | undefined;
    try {
      answer = await ask(renderPlan(req.tool, plan));
    } catch {
      // Some hosts advertise elicitation and then fail or time out: fall back to the plan id.
      answer = undefined;
    }
    if (answer === 'accept') return;
    if (answer !== undefined) {
      // Some hosts decline on the user's behalf without showing anything (openai/codex#6992),
      // so the plan id stays usable; a model must still ask the user before using it.
      const fresh = store.issue(fingerprint);
      throw new DeployError(
        'CANCELLED',
        `The confirmation for ${req.tool} was ${answer === 'decline' ? 'declined' : 'cancelled'}; nothing was changed.`,
        `Ask the user what to change. If they never saw a confirmation prompt, show them the plan and, only if they agree, ${again}: "${fresh.planId}".`,
        { plan_id: fresh.planId, expires_at: fresh.expiresAt, plan },
      );
    }
  }

  const issued = store.issue(fingerprint);
  throw new DeployError(
    'CONFIRMATION_REQUIRED',
    `Nothing was changed yet. ${req.tool} needs the user's confirmation of this plan: ${plan.summary}`,
    `Show the plan (details.plan) to the user. Only if they agree, ${again}: "${issued.planId}" (valid until ${issued.expiresAt}).`,
    { plan_id: issued.planId, expires_at: issued.expiresAt, plan },
  );
}
