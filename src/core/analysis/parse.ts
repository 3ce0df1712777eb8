import { parseSync } from 'oxc-parser';

/** A parsed JS/TS module: the ESTree-compatible program from oxc plus a fast offset→line lookup. */
export interface ParsedSource {
  path: string;
  text: string;
  // oxc returns an ESTree-shaped program; detectors walk it generically.
  program: AstNode;
  errors: string[];
  line(offset: number): number;
}

export interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

function langOf(path: string): 'js' | 'jsx' | 'ts' | 'tsx' {
  if (path.endsWith('.tsx')) return 'tsx';
  if (/\.[cm]?ts$/.test(path)) return 'ts';
  // Plain .js files carry JSX in CRA and Next pages; JSX is a superset, so parse all JS as JSX.
  return 'jsx';
}

function lineIndex(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Bracket nesting beyond which oxc-parser crashes the process (native stack overflow at ~10k): real code stays far below. */
export const MAX_NESTING = 1000;

/** True when brackets nest deeper than MAX_NESTING somewhere in the text (a generated or hostile file). */
export function nestingTooDeep(text: string): boolean {
  // Deeper than MAX_NESTING takes more than MAX_NESTING characters.
  if (text.length <= MAX_NESTING) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > MAX_NESTING) return true;
    } else if (c === 41 || c === 93 || c === 125) depth--;
  }
  return false;
}

export const TOO_DEEP = `brackets nested deeper than ${MAX_NESTING} levels`;

/**
 * Parse a source file; syntax errors are reported in `errors`, never thrown. Text nested too deep
 * for the parser is never handed to it (it would crash the process): it comes back as an error.
 */
export function parseSource(path: string, text: string): ParsedSource {
  let program: AstNode = emptyProgram();
  let errors: string[] = [];
  if (nestingTooDeep(text)) errors = [TOO_DEEP];
  else
    try {
      const lang = langOf(path);
      let result = parseSync(path, text, { lang, sourceType: 'unambiguous' } as Parameters<typeof parseSync>[2]);
      // JavaScript with Flow annotations (`function f(options: Options)`, parse-server) is no JavaScript to the parser,
      // and its program comes back empty; read as TypeScript, whose annotations look the same, it parses.
      if (lang === 'jsx' && result.errors.length) {
        const typed = parseSync(path, text, { lang: 'tsx', sourceType: 'unambiguous' } as Parameters<typeof parseSync>[2]);
        if (typed.errors.length === 0) result = typed;
      }
      program = result.program as unknown as AstNode;
      errors = result.errors.map((e) => e.message);
    } catch (err) {
      errors = [err instanceof Error ? err.message : String(err)];
    }
  return new Source(path, text, null, program, errors);
}

/** A source file read without parsing (the fast tier): text and line lookup, an empty program. */
export function unparsedSource(path: string, text: string): ParsedSource {
  return new Source(path, text, null, emptyProgram(), []);
}

/**
 * A source file known from the scan cache: its text is read only if a detector asks for it (for an
 * evidence snippet or line); git vouches that the file still has the content the cache describes.
 */
export function lazySource(path: string, load: () => string): ParsedSource {
  return new Source(path, null, load, emptyProgram(), []);
}

function emptyProgram(): AstNode {
  return { type: 'Program', start: 0, end: 0, body: [] };
}

// A class, not an object literal with a getter and closures: tens of thousands are made per analysis.
class Source implements ParsedSource {
  // Built on first use: most files never need a line number.
  private starts: number[] | null = null;
  constructor(
    readonly path: string,
    private content: string | null,
    private load: (() => string) | null,
    readonly program: AstNode,
    readonly errors: string[],
  ) {}

  get text(): string {
    if (this.content === null) {
      this.content = this.load ? this.load() : '';
      this.load = null;
    }
    return this.content;
  }

  line(offset: number): number {
    const starts = (this.starts ??= lineIndex(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/** Depth-first walk over every AST node; return false from `visit` to skip a subtree. */
export function walk(node: unknown, visit: (node: AstNode, parent: AstNode | null) => boolean | void, parent: AstNode | null = null): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit, parent);
    return;
  }
  const n = node as AstNode;
  if (typeof n.type !== 'string') return;
  if (visit(n, parent) === false) return;
  for (const key in n) {
    if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range' || key === 'parent') continue;
    const child = n[key];
    if (child && typeof child === 'object') walk(child, visit, n);
  }
}
