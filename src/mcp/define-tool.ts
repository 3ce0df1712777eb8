import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { DeployError, isDeployError, type ErrorPayload } from '../core/errors.js';
import type { ProgressFn } from '../core/ports.js';
import { capStructured, capText, type Caps } from './caps.js';
import { confirmPlan, type AskUser, type Plan, type PlanStore } from './confirmation.js';
import { progressReporter } from './progress.js';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;
// Flat objects only: a top-level union is advertised as "no parameters" and breaks output validation (SDK 1.32).
type AnyObject = z.ZodObject<z.ZodRawShape>;

/** All four hints are required: the SDK defaults (destructive, not idempotent, open world) are wrong for most tools. */
export interface ToolHints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolContext {
  /** Sent as MCP progress notifications when the client asked for them; a no-op otherwise. */
  progress: ProgressFn;
  /** Aborted when the client cancels the call; pass it to every long await. */
  signal: AbortSignal;
  /** Resolves once the user agreed to this plan; throws CONFIRMATION_REQUIRED / PLAN_MISMATCH / CANCELLED otherwise. */
  confirm: (plan: Plan) => Promise<void>;
  /** The namespace pinned with `--namespace`, if any. */
  namespace: string | undefined;
  /** The server runs with `--read-only`: tools must not write `.sealos/` artifacts either. */
  readOnly: boolean;
}

export interface ToolOutcome<O> {
  structured: O;
  /** A few lines for the model and the user; also sent as `summary` in the structured output. */
  summary: string;
}

export interface ToolSpec<I extends AnyObject, O extends AnyObject> {
  /** snake_case; the name the model calls. */
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolHints;
  /** Changes the cluster or the recorded state: hidden in read-only mode, gets `confirm` + `plan_id` arguments. */
  mutating: boolean;
  run(args: z.output<I>, ctx: ToolContext): Promise<ToolOutcome<z.input<O>>>;
}

/** What every tool needs from the server it is registered on. */
export interface ToolEnv {
  namespace: string | undefined;
  readOnly: boolean;
  plans: PlanStore;
  caps: Caps;
}

export interface McpTool {
  name: string;
  mutating: boolean;
  annotations: ToolHints;
  register(server: McpServer, env: ToolEnv): void;
}

const CONFIRM_SHAPE = {
  confirm: z.boolean().optional().describe('Set to true only after the user agreed to the plan this tool returned.'),
  plan_id: z.string().max(100).optional().describe('The plan_id from the CONFIRMATION_REQUIRED result the user agreed to.'),
};

const RESULT_SHAPE = {
  summary: z.string().describe('Short human summary of the result.'),
  truncated: z.array(z.string()).optional().describe('Lists or strings shortened to keep the result small; the full data is in the .sealos/ artifact.'),
};

export function errorText(payload: ErrorPayload): string {
  const details = payload.details ? `\ndetails: ${capText(JSON.stringify(payload.details), 8_000)}` : '';
  return `${payload.code}: ${payload.message}\nnext: ${payload.next}${details}`;
}

/** Every failure becomes an `isError` result the model can act on; never a protocol error, never a stack trace. */
function errorResult(err: unknown, signal?: AbortSignal): CallToolResult {
  let payload: ErrorPayload;
  if (isDeployError(err)) payload = err.toJSON();
  else if (signal?.aborted) payload = { code: 'CANCELLED', message: 'The call was cancelled; the step stopped where it was.', next: 'Run status to see what, if anything, changed.' };
  else {
    const message = err instanceof Error ? err.message : String(err);
    payload = { code: 'INTERNAL', message: `Unexpected failure: ${message}`, next: 'Report this message; the failed step changed nothing further.' };
  }
  return { content: [{ type: 'text', text: errorText(payload) }], isError: true };
}

function elicitor(server: McpServer, extra: Extra): AskUser | undefined {
  if (!server.server.getClientCapabilities()?.elicitation?.form) return undefined;
  return async (message) => {
    const res = await server.server.elicitInput(
      {
        message,
        requestedSchema: {
          type: 'object',
          properties: { confirm: { type: 'boolean', title: 'Apply this plan', description: 'Nothing changes unless this is checked.' } },
          required: ['confirm'],
        },
      },
      // The user may take a while to read the plan; relatedRequestId routes the request on Streamable HTTP.
      { timeout: 10 * 60_000, relatedRequestId: extra.requestId, signal: extra.signal },
    );
    if (res.action !== 'accept') return res.action;
    return res.content?.confirm === true ? 'accept' : 'decline';
  };
}

function pinNamespace(args: Record<string, unknown>, hasNamespaceArg: boolean, pinned: string | undefined): void {
  if (!pinned || !hasNamespaceArg) return;
  if (args.namespace !== undefined && args.namespace !== pinned) {
    throw new DeployError(
      'NAMESPACE_FORBIDDEN',
      `This server is pinned to namespace "${pinned}"; "${String(args.namespace)}" was requested.`,
      `Omit namespace (it defaults to "${pinned}") or restart the server without --namespace.`,
    );
  }
  args.namespace = pinned;
}

export function defineTool<I extends AnyObject, O extends AnyObject>(spec: ToolSpec<I, O>): McpTool {
  const hints = spec.annotations;
  // `mutating` = changes the cluster or recorded state (needs confirmation); a tool that only writes a
  // derived artifact such as analysis.json is neither mutating nor read-only.
  if (spec.mutating && hints.readOnlyHint) throw new Error(`Tool ${spec.name}: a mutating tool cannot be readOnlyHint.`);
  if (hints.readOnlyHint && hints.destructiveHint) throw new Error(`Tool ${spec.name}: a read-only tool cannot be destructive.`);
  for (const key of Object.keys(spec.mutating ? CONFIRM_SHAPE : {}).concat(Object.keys(RESULT_SHAPE))) {
    if (key in spec.input.shape || key in spec.output.shape) throw new Error(`Tool ${spec.name}: "${key}" is reserved.`);
  }
  // Hosts do not start servers in the user's project reliably (Codex plugins), so every tool names it.
  if (!('project_dir' in spec.input.shape)) throw new Error(`Tool ${spec.name}: the input needs project_dir.`);
  const inputSchema = spec.mutating ? spec.input.extend(CONFIRM_SHAPE) : spec.input;
  const outputSchema = spec.output.extend(RESULT_SHAPE);
  const hasNamespaceArg = 'namespace' in spec.input.shape;

  return {
    name: spec.name,
    mutating: spec.mutating,
    annotations: hints,
    register(server, env) {
      const handler = async (raw: Record<string, unknown>, extra: Extra): Promise<CallToolResult> => {
        const { confirm, plan_id, ...args } = raw;
        try {
          pinNamespace(args, hasNamespaceArg, env.namespace);
          const ctx: ToolContext = {
            progress: progressReporter(extra),
            signal: extra.signal,
            namespace: env.namespace,
            readOnly: env.readOnly,
            confirm: (plan) =>
              confirmPlan(
                plan,
                { tool: spec.name, args, confirm: confirm as boolean | undefined, planId: plan_id as string | undefined },
                env.plans,
                elicitor(server, extra),
              ),
          };
          const { structured, summary } = await spec.run(args as z.output<I>, ctx);
          if (extra.signal.aborted) throw extra.signal.reason;
          const capped = capStructured(structured as Record<string, unknown>, env.caps);
          const text = capped.notes.length ? `${summary}\n(shortened: ${capped.notes.join('; ')})` : summary;
          const value = { ...capped.value, summary: text, ...(capped.notes.length ? { truncated: capped.notes } : {}) };
          // Claude Code hands the model only structuredContent (anthropics/claude-code#55677), so the summary
          // lives there too; the text blocks serve clients that read content only.
          return {
            content: [
              { type: 'text', text: capText(text, env.caps.maxChars) },
              { type: 'text', text: capText(JSON.stringify(value), env.caps.maxChars) },
            ],
            structuredContent: value,
          };
        } catch (err) {
          return errorResult(err, extra.signal);
        }
      };
      // One cast at the SDK boundary: the generic registerTool signature over arbitrary shapes hits TS2589.
      const register = server.registerTool.bind(server) as unknown as (
        name: string,
        config: { title: string; description: string; inputSchema: AnyObject; outputSchema: AnyObject; annotations: ToolHints & { title: string } },
        cb: typeof handler,
      ) => unknown;
      register(spec.name, { title: spec.title, description: spec.description, inputSchema, outputSchema, annotations: { title: spec.title, ...hints } }, handler);
    },
  };
}
