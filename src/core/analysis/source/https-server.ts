import { walk } from '../parse.js';
import { args, calleeLast, calleeRoot, child, covers, objectProp, unwrap, type Node } from './ast.js';
import { constInit, findBinding } from './modules.js';
import { callsNamed, importedFrom, moduleOf, requiredModule, type FileScan } from './scan.js';
import { finding, nodeEvidence, type SourceRun } from './types.js';
import { callersOf, enclosingFunction } from './param-values.js';
import type { Finding } from '../../state/analysis-schema.js';
import { lineOf } from '../../evidence.js';
import type { Listener } from './port-bind.js';

/**
 * A server that speaks TLS itself. Sealos's ingress ends TLS and forwards plain HTTP to the pod
 * (`backend-protocol: HTTP`), so such a server answers every request with an error or a reset.
 */
export interface TlsSite {
  scan: FileScan;
  node: Node;
  /** What starts it, for the message: `https.createServer`, `hapi's tls option`... */
  what: string;
  /** Always on where it runs (not behind an if, a ternary or a setting whose value is unknown). */
  certain: boolean;
}

/** Modules (without `node:`) and the calls of theirs that start a TLS server; http2's createServer is cleartext. */
const TLS_CALLS: Record<string, string> = { https: 'createServer', spdy: 'createServer', tls: 'createServer', http2: 'createSecureServer' };

/** Whether a node lies in a branch taken only sometimes: an if or switch body, a ternary arm, the right of `&&`/`||`. */
function branch(scan: FileScan, at: number): boolean {
  let hit = false;
  walk(scan.parsed.program, (n) => {
    if (hit || !covers(n, at)) return false;
    if ((n.type === 'IfStatement' || n.type === 'ConditionalExpression') && !covers(child(n, 'test'), at)) hit = true;
    else if (n.type === 'LogicalExpression' && covers(child(n, 'right'), at)) hit = true;
    else if (n.type === 'SwitchCase') hit = true;
    return;
  });
  return hit;
}

/**
 * Whether code at `at` runs only sometimes: in a branch, or in a function every call of which is in one
 * (anything-llm's `if (process.env.ENABLE_HTTPS) bootSSL(app, port)`, with the https server inside bootSSL).
 */
function conditional(run: SourceRun, scan: FileScan, at: number): boolean {
  if (branch(scan, at)) return true;
  const fn = enclosingFunction(scan, at);
  const calls = fn ? callersOf(run, scan, fn) : [];
  return calls.length > 0 && calls.every((c) => branch(c.scan, c.call.start));
}

/** The module a call's function comes from: `https.createServer`, `createServer` imported from https, `require('https').createServer`. */
function calleeModule(scan: FileScan, call: Node): string | null {
  const callee = unwrap(child(call, 'callee'));
  if (callee?.type === 'Identifier') return moduleOf(scan, callee);
  return requiredModule(child(callee!, 'object')) ?? importedFrom(scan, calleeRoot(call));
}

/** What a call starts when it starts a TLS server (and whether always), else null. */
function tlsCall(scan: FileScan, call: Node): { what: string; sure: boolean } | null {
  const name = calleeLast(call);
  const mod = calleeModule(scan, call)?.replace(/^node:/, '') ?? null;
  if (name && mod && Object.hasOwn(TLS_CALLS, mod) && TLS_CALLS[mod] === name) return { what: `${mod}.${name}`, sure: true };
  // `fastify({ https: { key, cert } })`, `NestFactory.create(AppModule, { httpsOptions })`.
  const option = (i: number, key: string) => {
    const o = unwrap(constInit(scan, args(call)[i] ?? null));
    return o?.type === 'ObjectExpression' ? switchedOn(scan, objectProp(o, key)) : 'off';
  };
  if (mod === 'fastify') {
    const on = option(0, 'https');
    if (on !== 'off') return { what: "fastify's https option", sure: on === 'on' };
  }
  if (mod === '@nestjs/core' && name === 'create') {
    const on = [option(1, 'httpsOptions'), option(2, 'httpsOptions')].find((o) => o !== 'off');
    if (on) return { what: "Nest's httpsOptions", sure: on === 'on' };
  }
  return null;
}

/** An option given in place (`https: { key, cert }`: on), switched off (`null`, `false`, absent), or decided at run time. */
function switchedOn(scan: FileScan, n: Node | null, depth = 0): 'on' | 'off' | 'maybe' {
  const u = unwrap(n);
  if (!u) return 'off';
  if (u.type === 'Literal') return u.value === null || u.value === false ? 'off' : 'on';
  if (u.type === 'ObjectExpression') return 'on';
  if (u.type === 'Identifier') {
    if (u.name === 'undefined') return 'off';
    const init = depth < 3 ? constInit(scan, u) : null;
    return init ? switchedOn(scan, init, depth + 1) : 'maybe';
  }
  return 'maybe';
}

/** The TLS server a listener is, if any: `https.createServer(…).listen()`, a name bound to one, hapi's `tls`. */
function listenerTls(run: SourceRun, l: Listener): TlsSite | null {
  if (l.kind === 'hapi') {
    const tls = l.tls;
    if (!tls || (tls.k === 'bool' && !tls.v)) return null;
    return { scan: l.scan, node: l.node, what: "hapi's tls option", certain: (tls.k === 'obj' || (tls.k === 'bool' && tls.v)) && !conditional(run, l.scan, l.node.start) };
  }
  if (l.kind !== 'listen') return null;
  let recv = unwrap(child(unwrap(child(l.node, 'callee'))!, 'object'));
  if (recv?.type === 'Identifier') recv = unwrap(findBinding(l.scan, recv.name as string, l.node.start)?.init ?? null);
  if (recv?.type !== 'CallExpression') return null;
  const t = tlsCall(l.scan, recv);
  return t ? { scan: l.scan, node: recv, what: t.what, certain: t.sure && !conditional(run, l.scan, recv.start) } : null;
}

/** Every place the service's code starts a TLS server, the main listener's first. */
export function tlsSites(run: SourceRun, listeners: readonly Listener[], main: Listener | null): TlsSite[] {
  const out: TlsSite[] = [];
  const mainSite = main ? listenerTls(run, main) : null;
  if (mainSite) out.push(mainSite);
  const seen = new Set(out.map((s) => s.node));
  for (const l of listeners) {
    if (l === main) continue;
    const s = listenerTls(run, l);
    if (!s || seen.has(s.node)) continue;
    out.push({ ...s, certain: false });
    seen.add(s.node);
  }
  for (const scan of run.astScans) {
    for (const call of callsNamed(scan, 'createServer', 'createSecureServer', 'fastify', 'Fastify', 'create')) {
      if (seen.has(call)) continue;
      const t = tlsCall(scan, call);
      if (!t) continue;
      out.push({ scan, node: call, what: t.what, certain: false });
      seen.add(call);
    }
  }
  return out;
}

/**
 * Checklist: the service serves plain HTTP behind the platform's TLS. Fails when the main listener always speaks TLS;
 * warns when the code can (a certificate setting switches it on): the deployment must leave that setting unset.
 */
export function plainHttpFinding(sites: readonly TlsSite[], main: Listener | null): Finding | null {
  const where = (s: TlsSite) => `${s.what} at ${s.scan.file}:${lineOf(s.scan.parsed.text, s.node.start)}`;
  const ev = sites.map((s) => nodeEvidence(s.scan, s.node.start, 'tls-server'));
  const first = sites[0];
  if (first?.certain && main) {
    return finding(
      'plain-http',
      'build-and-image',
      'fail',
      `The server speaks HTTPS itself (${where(first)}): Sealos's ingress ends TLS and forwards plain HTTP to the pod, so every request would fail.`,
      'Serve plain HTTP in the container (http.createServer, no key/cert options); the public URL gets its certificate from the platform.',
      ev,
    );
  }
  if (first) {
    return finding(
      'plain-http',
      'build-and-image',
      'warn',
      `The code can serve HTTPS itself (${sites.slice(0, 3).map(where).join('; ')}${sites.length > 3 ? ` and ${sites.length - 3} more` : ''}): Sealos's ingress ends TLS and forwards plain HTTP, so that mode must stay off.`,
      'Leave the certificate settings unset on Sealos so the server speaks plain HTTP; the public URL gets its certificate from the platform.',
      ev,
    );
  }
  return main ? finding('plain-http', 'build-and-image', 'pass', 'Serves plain HTTP, which the ingress forwards to it.', null, []) : null;
}
