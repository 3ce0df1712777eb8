import { lazyCrypto } from '../../core/lazy-crypto.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { DeployError } from '../../core/errors.js';
import { noProgress } from '../../core/ports.js';
import type { VerificationPrompt } from '../../sealos/device-grant.js';
import type { LoginResult } from '../../sealos/login.js';
import { defineTool, type McpTool } from '../define-tool.js';
import { projectDirArg } from './project-dir.js';
import { caFileDescription, kubeconfigShadowNote, regionArgDescription, type SealosToolDeps } from './sealos-deps.js';

const input = z.object({
  project_dir: projectDirArg,
  region: z.string().min(1).max(256).optional().describe(regionArgDescription),
  workspace: z.string().min(1).max(200).optional().describe('Switch to this workspace (ns-…, uid or team name) right after signing in.'),
  ca_file: z.string().min(1).max(4096).optional().describe(caFileDescription),
});

const output = z.object({
  status: z.enum(['signed-in', 'pending']).describe('pending: show the URL and code to the user, then call login again to finish.'),
  region: z.string().nullable(),
  namespace: z.string().nullable().describe('The namespace deploys target after this login.'),
  team: z.string().nullable(),
  kubeconfig_path: z.string().nullable(),
  verification_url: z.string(),
  user_code: z.string(),
  expires_at: z.string(),
  note: z.string().nullable(),
});

interface Pending {
  prompt: VerificationPrompt;
  done: Promise<LoginResult>;
  /** Stops the polling: the user cancelled the call that waits for it. */
  stop: AbortController;
}

/**
 * Logins still waiting for the user's approval, by HOME and region. A client that shows neither
 * progress nor URL elicitations gets the URL as a `pending` result; the login keeps polling here and
 * the next `login` call collects it (the device code expires after ~10 minutes anyway).
 */
const pending = new Map<string, Pending>();

function verificationUrl(p: VerificationPrompt): string {
  return p.verification_uri_complete ?? p.verification_uri;
}

type RequestIdOf = (signal: AbortSignal) => RequestId | undefined;

/**
 * The server with `registerTool` tapped so each call's request id is known by its abort signal (the one
 * thing `run` gets from the request): a URL prompt must name the request it belongs to, or Streamable
 * HTTP cannot route it to the client that is waiting on that call.
 */
function tapRequestIds(server: McpServer): { tapped: McpServer; requestIdOf: RequestIdOf } {
  const ids = new WeakMap<AbortSignal, RequestId>();
  type Handler = (args: unknown, extra: { signal: AbortSignal; requestId: RequestId }) => unknown;
  const registerTool = (name: string, config: unknown, cb: Handler) =>
    (server.registerTool as unknown as (n: string, c: unknown, h: Handler) => unknown).call(server, name, config, (args, extra) => {
      ids.set(extra.signal, extra.requestId);
      return cb(args, extra);
    });
  const tapped = new Proxy(server, { get: (target, prop, receiver) => (prop === 'registerTool' ? registerTool : Reflect.get(target, prop, receiver)) });
  return { tapped, requestIdOf: (signal) => ids.get(signal) };
}

export function createLoginTool(deps: SealosToolDeps = {}): McpTool {
  const make = (server: McpServer | null, requestIdOf: RequestIdOf = () => undefined) =>
    defineTool({
      name: 'login',
      title: 'Sign in to Sealos',
      description:
        "Sign in to a Sealos region with the OAuth device grant: shows a verification URL and code for the user to open on any device (as progress, and as a URL prompt when the client supports it), waits for approval, then writes ~/.sealos/kubeconfig and auth.json (0600; shared with sealos-cli). Returns the namespace deploys will target; never a token. The user's approval in the browser is the confirmation: confirm/plan_id are not needed.",
      input,
      output,
      // Replaces the credentials deploys use; signing in again restores any workspace. Not destructive.
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      mutating: true,
      async run(args, ctx) {
        const env = deps.env ?? process.env;
        const common = { env, ...(deps.http ? { http: deps.http } : {}), ...(args.ca_file ? { caFile: args.ca_file } : {}) };
        const [{ login }, { verificationText }, { homeFrom }] = await Promise.all([import('../../sealos/login.js'), import('../../sealos/device-grant.js'), import('../../sealos/home-files.js')]);
        const key = `${homeFrom(env)}\n${args.region ?? ''}`;

        let entry = pending.get(key);
        if (!entry) {
          // Outlives this call when the result is `pending`, so it has its own signal, aborted only when a waiting call is cancelled.
          const stop = new AbortController();
          const onEarlyAbort = () => stop.abort(ctx.signal.reason);
          ctx.signal.addEventListener('abort', onEarlyAbort, { once: true });
          let shown!: (p: VerificationPrompt) => void;
          const prompted = new Promise<VerificationPrompt>((resolve) => (shown = resolve));
          const done = login({ ...common, ...(args.region ? { region: args.region } : {}), ...(deps.clock ? { clock: deps.clock } : {}), signal: stop.signal, onVerification: (p) => shown(p) });
          done.catch(() => undefined); // collected (or dropped) below; never an unhandled rejection
          const prompt = await Promise.race([prompted, done.then(() => null)]);
          ctx.signal.removeEventListener('abort', onEarlyAbort);
          if (!prompt) {
            await done; // failed before showing anything: throws the coded error
            throw new DeployError('INTERNAL', 'The region finished the login without showing a verification URL.', 'Call login again.');
          }
          entry = { prompt, done, stop };
          const url = verificationUrl(entry.prompt);
          ctx.progress(`${verificationText(entry.prompt)} Waiting for approval…`);
          const canShowUrl = Boolean(server?.server.getClientCapabilities()?.elicitation?.url);
          if (canShowUrl && server) {
            const elicitationId = lazyCrypto().randomUUID();
            // Not awaited: the login polls while the user reads the prompt; some hosts answer only when it closes.
            server.server
              .elicitInput(
                { mode: 'url', message: `Sign in to Sealos: open the page and check that it shows the code ${entry.prompt.user_code}.`, url, elicitationId },
                { relatedRequestId: requestIdOf(ctx.signal), timeout: 10 * 60_000 },
              )
              .catch(() => undefined);
            done.then(() => server.server.createElicitationCompletionNotifier(elicitationId)().catch(() => undefined), () => undefined);
          }
          if (!canShowUrl && ctx.progress === noProgress) {
            pending.set(key, entry);
            const forget = entry;
            const expire = () => void setTimeout(() => pending.get(key) === forget && pending.delete(key), 15 * 60_000).unref();
            done.then(expire, expire);
            return {
              summary: `${verificationText(entry.prompt)}\nShow this URL and code to the user. After they approve in the browser, call login again (same arguments) to finish.`,
              structured: { status: 'pending' as const, region: null, namespace: null, team: null, kubeconfig_path: null, verification_url: url, user_code: entry.prompt.user_code, expires_at: entry.prompt.expires_at, note: null },
            };
          }
        }

        const current = entry;
        let result: LoginResult;
        try {
          result = await new Promise<LoginResult>((resolve, reject) => {
            const onAbort = () => {
              current.stop.abort(ctx.signal.reason);
              reject(ctx.signal.reason);
            };
            if (ctx.signal.aborted) return onAbort();
            ctx.signal.addEventListener('abort', onAbort, { once: true });
            current.done.then(resolve, reject).finally(() => ctx.signal.removeEventListener('abort', onAbort));
          });
        } finally {
          if (pending.get(key) === current) pending.delete(key);
        }
        let namespace = result.namespace;
        let team = result.workspace?.teamName ?? null;
        if (args.workspace) {
          const { switchWorkspace } = await import('../../sealos/workspaces.js');
          const s = await switchWorkspace({ ...common, target: args.workspace, progress: ctx.progress, signal: ctx.signal });
          namespace = s.namespace;
          team = s.workspace.teamName;
        }
        const note = kubeconfigShadowNote(env);
        return {
          summary: `Signed in to ${result.region}. Deploys target ${namespace}${team ? ` (${team})` : ''}; kubeconfig ${result.kubeconfig_path}.${note ? `\n${note}` : ''}`,
          structured: { status: 'signed-in' as const, region: result.region, namespace, team, kubeconfig_path: result.kubeconfig_path, verification_url: verificationUrl(current.prompt), user_code: current.prompt.user_code, expires_at: current.prompt.expires_at, note },
        };
      },
    });
  const listed = make(null);
  // The URL prompt needs the server the tool is registered on; defineTool hands `run` only the context.
  return {
    name: listed.name,
    mutating: listed.mutating,
    annotations: listed.annotations,
    register(server, env) {
      const { tapped, requestIdOf } = tapRequestIds(server);
      make(server, requestIdOf).register(tapped, env);
    },
  };
}

export const loginTool = createLoginTool();
