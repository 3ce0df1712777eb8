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
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** Parse a source file; syntax errors are reported in `errors`, never thrown. */
export function parseSource(path: string, text: string): ParsedSource {
  let program: AstNode = { type: 'Program', start: 0, end: 0, body: [] };
  let errors: string[] = [];
  try {
    const result = parseSync(path, text, { lang: langOf(path), sourceType: 'unambiguous' } as Parameters<typeof parseSync>[2]);
    program = result.program as unknown as AstNode;
    errors = result.errors.map((e) => e.message);
  } catch (err) {
    errors = [err instanceof Error ? err.message : String(err)];
  }
  const starts = lineIndex(text);
  return {
    path,
    text,
    program,
    errors,
    line(offset: number): number {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] ?? 0) <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo + 1;
    },
  };
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
