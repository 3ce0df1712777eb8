import { walk } from '../parse.js';
import { child, propName, type Node } from './ast.js';
import type { SourceIndex } from './modules.js';

/** Methods a framework calls while the service starts: what they read, the service needs to start. */
const STARTUP_METHODS = new Set(['constructor', 'onModuleInit', 'onApplicationBootstrap', 'init', 'initialize', 'setup', 'start', 'bootstrap', 'register', 'boot', 'configure']);

/**
 * Whether the code at `offset` runs inside a class method something calls later (an integration's
 * `generateAuthUrl()`, a handler), not while the service starts (module scope, a constructor, a lifecycle hook).
 * A provider's key read only there breaks that integration when it is used; the service starts without it.
 */
export class MethodReads {
  private readonly ranges = new Map<string, Array<[number, number]>>();

  constructor(private readonly index: SourceIndex) {}

  inLaterMethod(file: string, offset: number): boolean {
    return this.methodsOf(file).some(([a, b]) => offset >= a && offset < b);
  }

  private methodsOf(file: string): Array<[number, number]> {
    let out = this.ranges.get(file);
    if (out) return out;
    out = [];
    // The parsed module (a token-level scan has no tree): parsed once and kept by the index.
    const scan = this.index.scan(file);
    if (scan)
      walk(scan.parsed.program, (n: Node) => {
        if (n.type !== 'MethodDefinition' || n.kind === 'constructor' || n.static === true) return;
        const name = propName(child(n, 'key'));
        const body = child(n, 'value');
        if (name && !STARTUP_METHODS.has(name) && body) out!.push([body.start, body.end]);
      });
    this.ranges.set(file, out);
    return out;
  }
}
