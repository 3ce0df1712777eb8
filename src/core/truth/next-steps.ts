// What to do about a rejected (or shaky) Truth report, in plain words. The check summaries say what
// was seen; these lines say what to change or run next. The root cause comes first: when pods are not
// ready or the host does not resolve, the URL, health and TLS failures that follow are symptoms.
import type { RuntimeTruthReport } from '../state/runtime-truth-schema.js';

type Check = RuntimeTruthReport['checks'][number];

interface Rule {
  /** Only for a report of this target; both when absent. */
  target?: 'cluster' | 'local';
  /** Checks this rule reads; the first matching rule per check wins. */
  ids: string[];
  when: RegExp;
  step: string;
  /** Lower runs first: causes before their symptoms. */
  rank: number;
  /** Reads a required check that was skipped; other rules read failures only (a skip is usually a symptom). */
  skip?: true;
}

const NETWORK_CHECKS = ['public-url', 'health', 'tls', 'root'];

const RULES: Rule[] = [
  // Cluster pass
  { ids: ['identity'], when: /./, rank: 0, step: 'The cluster does not run the app or image this release expects: run `sealos-deploy status` to see what is live, then deploy again (or pass --app/--image that match .sealos/deploy-result.json).' },
  { ids: ['rollout'], when: /ImagePull|ErrImage|pull/i, rank: 1, step: 'Pods cannot pull the image: check the tag exists in the registry, and for a private image deploy with --registry-user so the pull Secret is created.' },
  { ids: ['rollout'], when: /OOM/i, rank: 1, step: 'A container was killed for memory: render again with a higher --memory (or find the leak), then deploy.' },
  { ids: ['rollout'], when: /CrashLoop|restart|exit/i, rank: 1, step: 'The app crashes or restarts: read its last log lines with `sealos-deploy status`, fix the start command or the missing env var, then deploy again.' },
  { ids: ['rollout'], when: /schedul|quota|Insufficient/i, rank: 1, step: 'Pods cannot be scheduled: the namespace is out of quota or the requests are too large; lower --cpu/--memory in render or free resources in the workspace.' },
  { ids: ['rollout'], when: /./, rank: 1, step: 'The rollout is not complete: `sealos-deploy status` shows the pods and their recent logs; fix what keeps them from getting ready, then deploy again.' },
  { target: 'cluster', ids: NETWORK_CHECKS, when: /no public URL/, skip: true, rank: 2, step: 'The app has no public URL: keep the Ingress in the template (render adds one) and deploy again; `sealos-deploy status` shows the host once it exists.' },
  { ids: ['health'], when: /no health path/, skip: true, rank: 4, step: 'No health path is known: add a cheap route such as /healthz (no database, no outbound calls), or pass --health-path.' },
  { target: 'cluster', ids: NETWORK_CHECKS, when: /host name not found|DNS lookup/i, rank: 2, step: 'The app host does not resolve: if you passed --domain, it must be the region\'s app domain (`sealos-deploy login` reports it); a new host can take a minute to appear, so re-run verify shortly.' },
  { target: 'cluster', ids: NETWORK_CHECKS, when: /connection refused|timed out|timeout|unreachable|reset/i, rank: 2, step: 'Nothing answers at the app host from here: check the Ingress with `sealos-deploy status`; on a private cluster pass --connect-to <ingress address>.' },
  { target: 'cluster', ids: NETWORK_CHECKS, when: /\b(502|503|504)\b/, rank: 3, step: 'The ingress reached no ready pod (502/503/504): the Service must target the port the app listens on (PORT); check readiness and pod logs with `sealos-deploy status`.' },
  { target: 'cluster', ids: ['tls'], when: /certificate|TLS|issuer|self.signed/i, rank: 3, step: 'The certificate is not valid for the host yet: cert-manager may still be issuing it (re-run verify in a minute); for a custom domain, its CNAME must point at the region first.' },
  { ids: ['health'], when: /answered 404/, rank: 4, step: 'The health path answered 404: pass --health-path with the route the app serves, or add a cheap /healthz route.' },
  { ids: ['health'], when: /reveals/, rank: 4, step: 'The health endpoint exposes internals: answer only the status, e.g. {"status":"ok"}.' },
  { ids: ['health', 'public-url', 'root'], when: /answered 5\d\d|failure page/, rank: 4, step: 'The app answers with server errors: read the error-logs check and the pod logs, fix the handler, then deploy again.' },
  { ids: ['public-url'], when: /not 404|swallows API paths/, rank: 5, step: 'Unknown API paths do not get a 404: stop the catch-all route from answering API paths.' },
  { ids: ['error-logs'], when: /./, rank: 5, step: 'The app logged errors under smoke traffic: the lines are in runtime-truth.json (check error-logs); fix them before accepting the release.' },
  { ids: ['database'], when: /./, rank: 5, step: 'The database round trip failed: the env key the code reads (analysis database.env_key) must be wired from the database Secret, and the database cluster must be Running.' },
  { ids: ['footprint'], when: /./, rank: 6, step: 'Pods restart or run near their memory limit: raise --memory in render or fix the leak before more traffic arrives.' },
  { ids: ['events'], when: /./, rank: 6, step: 'Kubernetes reported Warning events for the app: `sealos-deploy status` lists them; resolve them and verify again.' },
  { ids: ['secrets', 'no-secret-in-logs'], when: /./, rank: 0, step: 'A secret value appeared in logs or responses: rotate that secret now and stop printing it.' },
  { ids: ['launchpad'], when: /./, rank: 7, step: 'App Launchpad does not show the app: re-render and deploy so the App resource and its labels are present.' },
  // Local rehearsal
  { target: 'local', ids: ['health', 'root'], when: /no answer|refused|timed out|reset/i, rank: 3, step: 'The service stopped answering locally: read the stays-up check and the last log lines in the report.' },
  { ids: ['committed-tree'], when: /./, rank: 0, step: 'Commit (or stash) your changes: the image is built from the committed tree, so the rehearsal checks that tree.' },
  { target: 'local', ids: ['start', 'stays-up'], when: /could not reach its .* database/, rank: 1, step: 'The service needs its database to start and the rehearsal has none: give it a local one with --env-file (a file with the connection variable), or let the cluster run check it, where the template wires the database.' },
  // Also corepack's own shims (`yarn` on PATH that is corepack) failing to verify a download: rotated registry keys.
  { target: 'local', ids: ['install', 'build', 'start'], when: /corepack could not|nor is corepack|No compatible signature found/, rank: 1, step: 'The package manager is not available here: run `corepack enable` with a current corepack (`npm i -g corepack@latest`) or install it, then rehearse again.' },
  { target: 'local', ids: ['install', 'build', 'start'], when: /code 127|not installed/, rank: 1, step: 'A tool the script runs is not installed: add it to devDependencies (build tools such as tsc) or dependencies, run the install to refresh the lockfile, and commit both.' },
  { target: 'local', ids: ['install'], when: /ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|getaddrinfo|network/i, rank: 1, step: 'The install needs a network host this machine cannot reach (a registry, or a package downloading its binary in postinstall): allow it, or keep dev-only binaries out of the install (e.g. CYPRESS_INSTALL_BINARY=0), then rehearse again.' },
  { target: 'local', ids: ['start', 'stays-up'], when: /backgrounds the server/, rank: 1, step: 'The start command returns while the server runs on in the background (&, a daemon, `pm2 start`): make it run one foreground process (node dist/server.js, or pm2-runtime), so the container lives as long as the server.' },
  { ids: ['install'], when: /./, rank: 1, step: 'Installing dependencies failed: run the install command locally, and commit a lockfile that matches package.json.' },
  { ids: ['build'], when: /./, rank: 1, step: 'The build failed: run the build script locally and fix it; the image runs the build output.' },
  { ids: ['start'], when: /./, rank: 2, step: 'The service did not accept connections on PORT: make it listen on process.env.PORT and check its start command.' },
  { ids: ['stays-up'], when: /./, rank: 2, step: 'The process exited or stopped answering: its last log lines are in the report; fix the crash before building an image.' },
  { ids: ['listens-all-interfaces'], when: /./, rank: 3, step: 'Bind 0.0.0.0 (or omit the host) instead of localhost: inside a container nothing else can reach a loopback listener.' },
  { ids: ['graceful-shutdown'], when: /./, rank: 5, step: "Handle SIGTERM: stop accepting, finish in-flight requests, then exit (process.on('SIGTERM', () => server.close(() => process.exit(0))))." },
];

/** Plain-words next steps for the failed (and required-but-skipped) checks of a report, causes first, no repeats. */
export function nextSteps(report: Pick<RuntimeTruthReport, 'checks' | 'target'>): string[] {
  const picked: Array<{ rank: number; step: string }> = [];
  for (const c of report.checks as Check[]) {
    if (c.status !== 'fail' && !(c.required && c.status === 'skip')) continue;
    const rule = RULES.find((r) => (!r.target || r.target === report.target) && (c.status === 'skip') === (r.skip === true) && r.ids.includes(c.id) && r.when.test(c.summary));
    if (rule && !picked.some((p) => p.step === rule.step)) picked.push({ rank: rule.rank, step: rule.step });
  }
  return picked.sort((a, b) => a.rank - b.rank).map((p) => p.step);
}
