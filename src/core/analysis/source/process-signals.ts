import { BUILD_CONFIG, toolingFiles } from './tooling-files.js';
import { evidence, type Evidence } from '../../evidence.js';
import type { Finding, ProcessFacts } from '../../state/analysis-schema.js';
import { walk } from '../parse.js';
import { args, calleeName, child, covers, identName, isFunction, memberPath, memberProp, objectProp, packageNameOf, stringValue, unwrap, type Node } from './ast.js';
import { fastifyCliAtLeast, resolveStart, type Listener } from './port-bind.js';
import { callsNamed, envReadName, isClientModule, localsOf, moduleOf, newsNamed, type FileScan } from './scan.js';
import { branchesOffByDefault, productionMode } from './default-branch.js';
import { findBinding } from './modules.js';
import { finding, nodeEvidence, type SourceRun } from './types.js';
import { SPA_BUNDLERS } from '../framework.js';

export const LOGGERS = ['pino', 'winston', 'bunyan', 'consola', 'log4js', 'loglevel', 'signale', 'tslog', 'roarr', '@logtail/node', 'nestjs-pino', '@nestjs/common'];
export const REQUEST_LOGGERS = ['morgan', 'pino-http', 'express-pino-logger', 'express-winston', 'koa-logger', 'koa-pino-logger', '@koa/logger', 'hono/logger', 'nestjs-pino', 'express-requests-logger', 'morgan-body', '@fastify/request-context'];
export const BACKGROUND: Array<{ module: string; what: string; needs?: RegExp }> = [
  { module: 'node-cron', what: 'node-cron' },
  { module: 'cron', what: 'cron' },
  { module: 'node-schedule', what: 'node-schedule' },
  { module: 'croner', what: 'croner' },
  { module: 'toad-scheduler', what: 'toad-scheduler' },
  { module: 'agenda', what: 'agenda' },
  // An in-process job scheduler (anything-llm runs its fork).
  { module: 'bree', what: 'bree' },
  { module: '@mintplex-labs/bree', what: 'bree' },
  { module: '@hokify/agenda', what: 'agenda' },
  { module: '@nestjs/schedule', what: '@nestjs/schedule' },
  { module: 'bullmq', what: 'bullmq worker', needs: /^Worker$/ },
  { module: 'bull', what: 'bull processor', needs: /^process$/ },
  { module: 'bee-queue', what: 'bee-queue processor', needs: /^process$/ },
  { module: 'pg-boss', what: 'pg-boss worker', needs: /^work$/ },
  { module: 'graphile-worker', what: 'graphile-worker', needs: /^run$/ },
];
const SIGNALS = new Set(['SIGTERM', 'SIGINT']);
const RESPONSE = /^(res|response|resp|reply|raw|outgoing|serverResponse)$/i;

/** Callee names the process concern looks at: signal handlers, shutdown helpers, log calls, middleware, cron. */
const PROCESS_CALLS = ['on', 'once', 'addListener', 'listen', 'enableShutdownHooks', 'createTerminus', 'closeWithGrace', 'createHttpTerminator', 'stoppable', 'createLightship', 'gracefulShutdown', 'log', 'info', 'debug', 'warn', 'notice', 'trace', 'use', 'schedule'];
const CLOSERS = /^(close|closeAllConnections|stop|shutdown|destroy|end|disconnect|\$disconnect|quit|terminate|drain|gracefulShutdown|closeServer)$/;
export const START_WORDS = /\b(listen(ing|s)?|port|running|started|starting|ready|up on|serving)\b|https?:\/\/|localhost|0\.0\.0\.0/i;

const LOG_CALL = /(^|\.)(console|log|logger|fastify|\w*[Ll]ogger)\.(log|info|debug|warn|notice|trace)$/i;

function logCall(n: Node): boolean {
  return LOG_CALL.test(calleeName(n) ?? '');
}

// Any call that writes output: a local `log()` helper, `logInfo`, `process.stdout.write`, a logger method.
const OUTPUT_CALL = /(^|\.)(\w*log\w*|info|notice|print|write)$/i;

/**
 * A call inside `fn` that writes output: a log call, or a call to a local helper whose own body writes
 * (`emit(...)` → `process.stdout.write`), followed one level. Inside a listen callback, a call that
 * names the port or listening counts too (`announce({ port })`): the callback runs once the server is up.
 */
function writesOutput(run: SourceRun, scan: FileScan, fn: Node, startWords = false, depth = 1): Node | null {
  let found: Node | null = null;
  walk(fn, (n) => {
    if (found || n.type !== 'CallExpression') return;
    if (logCall(n) || OUTPUT_CALL.test(calleeName(n) ?? '') || (startWords && mentionsStart(n, scan.parsed.text) && !debugLogger(scan, n))) found = n;
    else if (depth > 0 && child(n, 'callee')?.type === 'Identifier') {
      const v = run.ev.eval(child(n, 'callee'), scan);
      if (v.k === 'fn' && writesOutput(run, v.mod, v.node, false, depth - 1)) found = n;
    }
  });
  return found;
}

/**
 * A logger made by the `debug` package (`const serverDebug = debug('server')`): silent unless DEBUG names it, so its
 * "listening on port" line never reaches the pod's logs (excalidraw-room).
 */
function debugLogger(scan: FileScan, call: Node): boolean {
  const name = identName(child(call, 'callee'));
  const init = name ? unwrap(findBinding(scan, name, call.start)?.init ?? null) : null;
  if (init?.type !== 'CallExpression') return false;
  return moduleOf(scan, child(init, 'callee')) === 'debug';
}

/** A log call whose text mentions the port or listening. */
function mentionsStart(n: Node, text: string): boolean {
  for (const a of args(n)) {
    const u = unwrap(a);
    if (!u) continue;
    if (u.type === 'Literal' && typeof u.value === 'string' && START_WORDS.test(u.value)) return true;
    if (u.type === 'TemplateLiteral') {
      const raw = text.slice(u.start, u.end);
      if (START_WORDS.test(raw)) return true;
    }
    if (u.type === 'Identifier' && /port/i.test(u.name as string)) return true;
    if ((u.type === 'BinaryExpression' || u.type === 'ObjectExpression') && START_WORDS.test(text.slice(u.start, u.end))) return true;
  }
  return false;
}

/** `Fastify(...)` / `require('fastify')(...)`: a call creating a Fastify instance. */
export function isFastifyFactory(s: FileScan, c: Node): boolean {
  return moduleOf(s, child(c, 'callee')) === 'fastify';
}

function fastifyFactories(s: FileScan): Node[] {
  if (!s.importSources.has('fastify')) return [];
  return callsNamed(s, '()', ...localsOf(s, (src) => src === 'fastify')).filter((c) => isFastifyFactory(s, c));
}

function fastifyLoggerOn(s: FileScan): boolean {
  for (const c of fastifyFactories(s)) {
    const l = unwrap(objectProp(args(c)[0] ?? null, 'logger'));
    if (l && !(l.type === 'Literal' && l.value === false)) return true;
  }
  return false;
}

function dedupe(ev: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return ev.filter((e) => {
    const k = `${e.file}:${e.line}:${e.rule}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface ProcessResult {
  process: ProcessFacts;
  findings: Finding[];
}

export function detectProcess(run: SourceRun, listeners: Listener[], cliServer: string | null = null, listener: string | null = null): ProcessResult {
  const { ctx, hints } = run;
  const signals = new Set<string>();
  let graceful = false;
  const gracefulEv: Evidence[] = [];
  const swallowed: Evidence[] = [];
  const exitsAtOnce: Evidence[] = [];
  const interruptOnly: Evidence[] = [];
  let logger: string | null = null;
  let loggerEv: Evidence | null = null;
  let startLog = false;
  const startEv: Evidence[] = [];
  let requestLog: string | null = null;
  const requestEv: Evidence[] = [];
  const background = new Map<string, Evidence>();
  const startCandidates: Array<{ scan: FileScan; node: Node }> = [];

  const isLogging = (src: string) => LOGGERS.includes(packageNameOf(src)) || REQUEST_LOGGERS.includes(src) || REQUEST_LOGGERS.includes(packageNameOf(src));
  // Logger imports are judged in the files that first import each logging module (the first match in
  // file order is the same), and scheduler imports only when some file imports one: once, not per file.
  const sources = new Set<string>();
  const loggingFirst = new Set<FileScan>();
  for (const s of run.scans)
    for (const src of s.importSources) {
      if (sources.has(src)) continue;
      sources.add(src);
      if (isLogging(src)) loggingFirst.add(s);
    }
  const backgroundSources = BACKGROUND.some((b) => sources.has(b.module));
  const tooling = toolingFiles(run, listener);

  for (const s of run.scans) {
    if (fastifyLoggerOn(s)) {
      logger ??= 'pino (fastify logger)';
      requestLog ??= 'fastify logger';
      startLog = true;
      const c = fastifyFactories(s)[0];
      if (c) {
        requestEv.push(nodeEvidence(s, c.start, 'fastify-logger'));
        startEv.push(nodeEvidence(s, c.start, 'fastify-logger'));
      }
    }
    if (loggingFirst.has(s)) for (const src of s.importSources) {
      const base = packageNameOf(src);
      if (!logger && LOGGERS.includes(base) && base !== '@nestjs/common') {
        logger = base;
        loggerEv = evidence(s.file, 1, 'logger-import', `import ${base}`);
      }
      if (!requestLog && (REQUEST_LOGGERS.includes(src) || REQUEST_LOGGERS.includes(base)) && !onlyInDevelopment(run, s, src)) {
        requestLog = src;
        requestEv.push(evidence(s.file, 1, 'request-logger-import', `import ${src}`));
      }
    }
    // A build tool's watcher or a maintenance script handles its own signals (saltcorn's rollup.config.js): not the service.
    const notService = tooling(s.file) || BUILD_CONFIG.test(s.file);
    for (const c of callsNamed(s, ...PROCESS_CALLS)) {
      const name = calleeName(c) ?? '';
      const a = args(c);
      // process.on('SIGTERM', ...) / process.once(...); AdonisJS's app.listen('SIGTERM', () => app.terminate()).
      if (!notService && (/^process\.(on|once|addListener)$/.test(name) || onProcessChain(c) || (/(^|\.)listen$/.test(name) && SIGNALS.has(stringValue(a[0] ?? null) ?? '')))) {
        const sig = stringValue(a[0] ?? null);
        const sigs = sig ? [sig] : [...s.signalLiterals];
        const handled = sigs.filter((x) => SIGNALS.has(x) || x === 'SIGHUP' || x === 'SIGQUIT');
        if (handled.length === 0) continue;
        for (const x of handled) signals.add(x);
        const h = a[1] ?? null;
        let closes = false;
        let exits = false;
        const fn = unwrap(h);
        const body = fn && (fn.type === 'ArrowFunctionExpression' || fn.type === 'FunctionExpression') ? fn : null;
        const resolved = body ?? (h ? (() => {
          const v = run.ev.eval(h, s);
          return v.k === 'fn' ? v.node : null;
        })() : null);
        if (resolved)
          walk(resolved, (n) => {
            if (n.type === 'CallExpression') {
              const m = memberProp(child(n, 'callee')) ?? identName(child(n, 'callee')) ?? '';
              if (CLOSERS.test(m) || /shutdown|close|stop|cleanup|graceful|terminate/i.test(m)) closes = true;
              else if (/exit/i.test(m)) exits = true;
            }
          });
        // A handler that neither closes nor exits swallows the signal: Kubernetes SIGKILLs mid-request.
        // One that only exits cuts off the requests in flight: shutdown without draining. One analysis
        // cannot follow (a function passed in from elsewhere) is taken at its word, and said so.
        // Kubernetes stops a pod with SIGTERM: a handler for SIGINT alone (audiobookshelf's, for Ctrl-C) never runs.
        if (!handled.includes('SIGTERM') && (closes || (!resolved && h))) interruptOnly.push(nodeEvidence(s, c.start, 'signal-handler-not-sigterm'));
        // Another signal's handler that stops nothing (saltcorn's SIGHUP reloads plugins): SIGTERM still ends the process.
        else if (!handled.includes('SIGTERM')) continue;
        else if (!resolved && h) {
          graceful = true;
          gracefulEv.push(nodeEvidence(s, c.start, 'signal-handler-not-followed'));
        } else if (closes) {
          graceful = true;
          gracefulEv.push(nodeEvidence(s, c.start, 'signal-closes-server'));
        } else if (exits) exitsAtOnce.push(nodeEvidence(s, c.start, 'signal-exits-at-once'));
        else swallowed.push(nodeEvidence(s, c.start, 'signal-swallowed'));
        continue;
      }
      if (name.endsWith('enableShutdownHooks')) {
        graceful = true;
        signals.add('SIGTERM');
        gracefulEv.push(nodeEvidence(s, c.start, 'nest-shutdown-hooks'));
        continue;
      }
      if (/(^|\.)(createTerminus|closeWithGrace|createHttpTerminator|stoppable|createLightship|gracefulShutdown)$/.test(name) || name === 'closeWithGrace') {
        graceful = true;
        signals.add('SIGTERM');
        gracefulEv.push(nodeEvidence(s, c.start, 'graceful-library'));
        continue;
      }
      if (logCall(c) && mentionsStart(c, s.parsed.text)) startCandidates.push({ scan: s, node: c });
      // Hand-rolled request logs: `res.on('finish', () => log(...))` in the request handler.
      // A response's, not a file stream's (umami's build script logs when its download's stream finishes).
      if (!requestLog && /(^|\.)on$/.test(name) && stringValue(a[0] ?? null) === 'finish' && RESPONSE.test(memberPath(child(c, 'callee'))?.at(-2) ?? '')) {
        const fn = unwrap(a[1] ?? null);
        if (fn && isFunction(fn) && writesOutput(run, s, fn)) {
          requestLog = 'response finish listener';
          requestEv.push(nodeEvidence(s, c.start, 'request-log-on-finish'));
        }
      }
      // app.use(morgan('combined')) when the import went through a local wrapper.
      if (!requestLog && /(^|\.)use$/.test(name)) {
        const inner = unwrap(a[a.length - 1] ?? null);
        const innerName = inner?.type === 'CallExpression' ? (calleeName(inner) ?? '') : '';
        if (/^(morgan|pinoHttp|pino_http|expressWinston\.logger|logger|requestLogger|httpLogger)$/.test(innerName) && !offInProduction(s, c)) {
          requestLog = innerName;
          requestEv.push(nodeEvidence(s, c.start, 'request-logger-middleware'));
        }
      }
      // @nestjs/schedule and friends used through calls: cron.schedule('...', fn)
      if (/(^|\.)schedule$/.test(name) && sources.has('node-cron') && !background.has('node-cron')) background.set('node-cron', nodeEvidence(s, c.start, 'cron-schedule'));
    }
    for (const n of newsNamed(s, 'Worker', 'CronJob', 'Cron', 'Agenda', 'Graceful')) {
      const ctorName = identName(child(n, 'callee')) ?? memberProp(child(n, 'callee')) ?? '';
      const src = s.imports.get(identName(child(n, 'callee')) ?? '')?.source;
      // @ladjs/graceful closes the servers and job schedulers it is given on SIGTERM and SIGINT, then exits.
      if (ctorName === 'Graceful' && src === '@ladjs/graceful') {
        graceful = true;
        signals.add('SIGTERM');
        gracefulEv.push(nodeEvidence(s, n.start, 'graceful-library'));
      }
      if (ctorName === 'Worker' && src === 'bullmq' && !background.has('bullmq worker')) background.set('bullmq worker', nodeEvidence(s, n.start, 'bullmq-worker'));
      if ((ctorName === 'CronJob' || ctorName === 'Cron') && !background.has('cron')) background.set('cron', nodeEvidence(s, n.start, 'cron-job'));
      if (ctorName === 'Agenda' && !background.has('agenda')) background.set('agenda', nodeEvidence(s, n.start, 'agenda'));
    }
    const queues = backgroundSources ? BACKGROUND.filter((b) => b.needs && b.module !== 'bullmq' && s.importSources.has(b.module)) : [];
    if (queues.length)
      for (const c of callsNamed(s, 'process', 'work', 'run')) {
        const last = memberProp(child(c, 'callee'));
        if (!last) continue;
        for (const b of queues) if (!background.has(b.what) && b.needs!.test(last)) background.set(b.what, nodeEvidence(s, c.start, `${b.module}-worker`));
      }
    if (backgroundSources) for (const b of BACKGROUND) {
      if (b.needs || background.has(b.what) || !s.importSources.has(b.module)) continue;
      if (b.module === 'cron' || b.module === '@nestjs/schedule') {
        // `cron`: only when a job is created; Nest: only with @Cron/@Interval decorators.
        if (b.module === '@nestjs/schedule' && !/@(Cron|Interval|Timeout)\(/.test(s.parsed.text)) continue;
        if (b.module === 'cron' && newsNamed(s, 'CronJob').length === 0 && !callsNamed(s, 'from').some((n) => /CronJob\.from/.test(calleeName(n) ?? ''))) continue;
      }
      background.set(b.what, evidence(s.file, 1, `${b.module}-import`, `import ${b.module}`));
    }
    if (s.topLevelIntervals.length > 0 && !isClientModule(s)) for (const t of s.topLevelIntervals) if (!background.has('setInterval')) background.set('setInterval', nodeEvidence(s, t.start, 'module-set-interval'));
  }

  // A startup log in a file that listens beats one elsewhere (a CLI script's message is not the server's).
  const listenFiles = new Set(listeners.map((l) => l.scan.file));
  const bestStart = startCandidates.find((c) => listenFiles.has(c.scan.file)) ?? (listeners.length ? null : startCandidates[0]) ?? startCandidates.find((c) => !/(^|\/)(bin|scripts?|tools?)\//.test(c.scan.file));
  if (!startLog && bestStart) {
    startLog = true;
    startEv.push(nodeEvidence(bestStart.scan, bestStart.node.start, 'startup-log'));
  }
  // Listen callbacks that write output (`app.listen(port, () => console.log(...))`, a local `log()` helper,
  // `process.stdout.write`) count even with unusual wording: they run exactly when the server is up.
  if (!startLog)
    for (const l of listeners) {
      const cb = args(l.node).map(unwrap).find((a): a is Node => isFunction(a));
      const out = cb ? writesOutput(run, l.scan, cb, true) : null;
      if (!out) continue;
      startLog = true;
      startEv.push(nodeEvidence(l.scan, out.start, 'listen-callback-log'));
      break;
    }

  // Framework servers log their URL, shut down on SIGTERM and (static) serve through nginx.
  const fw = hints.framework;
  // Nest's default logger prints "Nest application successfully started" unless the app turns it off.
  if (!startLog && fw === 'nestjs')
    for (const s of run.astScans)
      for (const c of callsNamed(s, 'create')) {
        if (startLog || calleeName(c) !== 'NestFactory.create') continue;
        const opt = unwrap(objectProp(args(c)[1] ?? null, 'logger'));
        if (opt?.type === 'Literal' && opt.value === false) continue;
        startLog = true;
        startEv.push(nodeEvidence(s, c.start, 'nest-default-logger'));
      }
  if (!startLog && (['nextjs', 'nuxt', 'nitro', 'remix', 'react-router', 'sveltekit', 'astro'].includes(fw) || SPA_BUNDLERS.has(fw)) && listeners.length === 0) startLog = true;
  if (!graceful && (['nextjs', 'nuxt', 'nitro', 'sveltekit'].includes(fw) || SPA_BUNDLERS.has(fw)) && listeners.length === 0) {
    graceful = true;
    gracefulEv.push(evidence(ctx.pkgFile ?? ctx.unitPath('package.json'), 1, `${fw}-handles-sigterm`));
  }
  if (!requestLog && SPA_BUNDLERS.has(fw) && listeners.length === 0) requestLog = 'nginx access log';
  // remix-serve and react-router-serve log each request (morgan "tiny") and close the server on SIGTERM (indie-stack).
  const appServer = /(?:^|[\s/])(remix-serve|react-router-serve)\s/.exec(resolveStart(hints.startCommand, hints.scripts) ?? '')?.[1];
  if (appServer && listeners.length === 0) {
    const pkgEv = evidence(ctx.pkgFile ?? ctx.unitPath('package.json'), 1, `${appServer}-server`);
    if (!graceful) {
      graceful = true;
      signals.add('SIGINT').add('SIGTERM');
      gracefulEv.push(pkgEv);
    }
    if (!requestLog) {
      requestLog = `${appServer} (morgan)`;
      requestEv.push(pkgEv);
    }
  }
  // `fastify start`: fastify-cli closes the server on SIGTERM (close-with-grace, since 2.8.0) and logs at --log-level (default fatal).
  if (cliServer === 'fastify') {
    const pkgEv = (rule: string) => evidence(ctx.pkgFile ?? ctx.unitPath('package.json'), 1, rule);
    if (!graceful && fastifyCliAtLeast(run, '2.8.0')) {
      graceful = true;
      signals.add('SIGINT').add('SIGTERM');
      gracefulEv.push(pkgEv('fastify-cli-handles-sigterm'));
    }
    const level = /(?:^|\s)(?:-l|--log-level)(?:=|\s+)(\w+)/.exec(resolveStart(hints.startCommand, hints.scripts) ?? '')?.[1];
    if (level === 'info' || level === 'debug' || level === 'trace') {
      if (!startLog) startEv.push(pkgEv('fastify-cli-logger'));
      startLog = true;
      if (!requestLog) {
        requestLog = `fastify-cli's logger at ${level}`;
        requestEv.push(pkgEv('fastify-cli-logger'));
      }
    }
  }
  if (!logger) {
    const dep = LOGGERS.find((l) => l !== '@nestjs/common' && ctx.hasDep(l));
    if (dep) {
      logger = dep;
      loggerEv = evidence(ctx.pkgFile ?? ctx.unitPath('package.json'), 1, 'logger-dependency', dep);
    } else if (fw === 'nestjs') logger = 'nestjs';
  }

  const facts: ProcessFacts = {
    graceful_shutdown: graceful,
    signals: [...signals].sort(),
    logger,
    logs_port_on_start: startLog,
    background_work: [...background.keys()].sort(),
    evidence: dedupe([...gracefulEv, ...exitsAtOnce, ...swallowed, ...(loggerEv ? [loggerEv] : []), ...startEv, ...requestEv, ...background.values()]).slice(0, 12),
  };

  const findings: Finding[] = [];
  findings.push(
    startLog
      ? finding('startup-log', 'monitoring', 'pass', 'The service logs when it starts listening.', null, startEv)
      : finding(
          'startup-log',
          'monitoring',
          'warn',
          'No startup log mentioning the port was found: the first logs will not show the service came up.',
          cliServer === 'fastify' ? 'Run fastify start with --log-level info: fastify-cli then logs the address it listens on.' : "Log once when listening, e.g. console.log(`listening on ${port}`) in the listen callback.",
          [],
        ),
  );
  findings.push(
    requestLog
      ? finding('request-logs', 'monitoring', 'pass', `Requests are logged (${requestLog}).`, null, requestEv)
      : finding('request-logs', 'monitoring', 'warn', 'No request logging middleware found: smoke traffic will leave no trace in the logs.', cliServer === 'fastify' ? 'Run fastify start with --log-level info (fastify-cli logs only fatal errors by default).' : fw === 'fastify' ? 'Create Fastify with { logger: true }.' : 'Add a request logger (morgan, pino-http or the framework logger) that does not log secrets.', []),
  );
  findings.push(
    graceful
      ? finding(
          'graceful-shutdown',
          'scaling',
          'pass',
          `Shutdown is handled${facts.signals.length ? ` (${facts.signals.join(', ')})` : ''}${gracefulEv.every((e) => e.rule === 'signal-handler-not-followed') ? ', by a handler analysis could not follow: make sure it closes the server before it exits' : ''}.`,
          null,
          gracefulEv,
        )
      : finding(
          'graceful-shutdown',
          'scaling',
          'warn',
          interruptOnly.length && !exitsAtOnce.length && !swallowed.length
            ? `Shutdown is handled on ${facts.signals.filter((x) => x !== 'SIGTERM').join(', ')} only: Kubernetes stops a pod with SIGTERM, which the service ignores as PID 1 (or dies of at once), so every rollout waits out the grace period or cuts requests off.`
            : exitsAtOnce.length
            ? 'The SIGTERM handler exits at once without closing the server: requests in flight are cut off on every rollout.'
            : swallowed.length
              ? 'The SIGTERM handler neither closes the server nor exits: the pod keeps running until Kubernetes SIGKILLs it, cutting in-flight requests.'
              : 'No SIGTERM handler: on every rollout Kubernetes kills the pod and in-flight requests fail.',
          exitsAtOnce.length
            ? "Close the server first and exit once it has drained: process.on('SIGTERM', () => server.close(() => process.exit(0)))."
            : interruptOnly.length
              ? "Run the same handler on SIGTERM: process.on('SIGTERM', shutdown) beside process.on('SIGINT', shutdown)."
              : "Handle SIGTERM: process.on('SIGTERM', () => server.close(() => process.exit(0))).",
          [...exitsAtOnce, ...swallowed, ...interruptOnly],
        ),
  );
  findings.push(
    background.size
      ? finding(
          'background-work',
          'scaling',
          'warn',
          `In-process background work (${facts.background_work.join(', ')}) runs once per replica: with 2+ replicas jobs run twice.`,
          'Run scheduled jobs and queue workers in a separate worker deployment, or guard them with a lock so only one replica runs them.',
          [...background.values()],
        )
      : finding('background-work', 'scaling', 'pass', 'No in-process cron or queue worker found.', null, []),
  );
  return { process: facts, findings };
}

/**
 * Whether every use of what a file imports from `src` sits in a branch production does not take (proshop_mern's
 * `if (process.env.NODE_ENV === 'development') app.use(morgan('dev'))`): as deployed, nothing of it runs.
 */
function onlyInDevelopment(run: SourceRun, s: FileScan, src: string): boolean {
  const p = run.index.scan(s.file);
  if (!p) return false;
  const calls = localsOf(p, (x) => x === src).flatMap((l) => p.callsByName.get(l) ?? []);
  return calls.length > 0 && calls.every((c) => offInProduction(p, c));
}

const offBranches = new WeakMap<FileScan, Node[]>();
/** Whether the node sits in a branch a NODE_ENV test keeps from running in production. */
function offInProduction(p: FileScan, node: Node): boolean {
  let off = offBranches.get(p);
  if (!off) {
    const found: Node[] = [];
    const nodeEnv = productionMode((x) => envReadName(x) === 'NODE_ENV');
    walk(p.parsed.program, (n) => {
      if (n.type === 'IfStatement' || n.type === 'ConditionalExpression') found.push(...branchesOffByDefault(n, nodeEnv));
    });
    offBranches.set(p, (off = found));
  }
  return off.some((b) => covers(b, node.start));
}

const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener']);

/** `process.on('unhandledRejection', a).once('SIGTERM', b)`: a handler registered further down a chain on process (browserless). */
function onProcessChain(call: Node): boolean {
  let callee = unwrap(child(call, 'callee'));
  if (callee?.type !== 'MemberExpression' || !LISTENER_METHODS.has(memberProp(callee) ?? '')) return false;
  let obj = unwrap(child(callee, 'object'));
  let depth = 0;
  while (obj?.type === 'CallExpression' && depth++ < 10) {
    callee = unwrap(child(obj, 'callee'));
    if (callee?.type !== 'MemberExpression' || !LISTENER_METHODS.has(memberProp(callee) ?? '')) return false;
    obj = unwrap(child(callee, 'object'));
  }
  return depth > 0 && obj?.type === 'Identifier' && obj.name === 'process';
}
