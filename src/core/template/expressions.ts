import { DeployError } from '../errors.js';

/**
 * The `${{ … }}` language of Sealos templates, evaluated without eval/Function/vm: a tokenizer and a
 * recursive-descent parser for the subset templates use (identifiers, `defaults.x` / `inputs.x`,
 * string and number literals, `random(n)`, `base64(x)`, `!`, `===`, `!==`, `&&`, `||`, `+`, `?:`,
 * parentheses). Anything else is a TEMPLATE_EXPRESSION error naming the line. Error messages quote
 * template text only, never an evaluated value, so secret inputs cannot leak through them.
 */

export type ExprValue = string | number | boolean;

export interface ExprScope {
  defaults: ReadonlyMap<string, string>;
  inputs: ReadonlyMap<string, string>;
  /** Platform variables: SEALOS_NAMESPACE, SEALOS_CLOUD_DOMAIN, SEALOS_CERT_SECRET_NAME, SEALOS_SERVICE_ACCOUNT. */
  vars: ReadonlyMap<string, string>;
  random: (length: number) => string;
}

export const PLATFORM_VARIABLES = ['SEALOS_NAMESPACE', 'SEALOS_CLOUD_DOMAIN', 'SEALOS_CERT_SECRET_NAME', 'SEALOS_SERVICE_ACCOUNT'] as const;

const MAX_EXPRESSION_LENGTH = 2000;
const MAX_DEPTH = 64;
const MAX_RANDOM = 128;
const ROOTS = new Set(['defaults', 'inputs']);
const FUNCTIONS = new Set(['random', 'base64']);
const DIRECTIVES = new Set(['if', 'elif', 'else', 'endif']);
/** Names that reach JavaScript object internals; refused even as map keys. */
const FORBIDDEN_NAMES = new Set(['constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

type Token =
  | { t: 'str'; v: string; pos: number }
  | { t: 'num'; v: number; pos: number }
  | { t: 'id'; v: string; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'eof'; pos: number };

export type ExprNode =
  | { k: 'lit'; v: ExprValue }
  | { k: 'var'; name: string }
  | { k: 'member'; root: 'defaults' | 'inputs'; key: string }
  | { k: 'call'; fn: string; args: ExprNode[] }
  | { k: 'not'; e: ExprNode }
  | { k: 'bin'; op: '===' | '!==' | '&&' | '||' | '+'; l: ExprNode; r: ExprNode }
  | { k: 'cond'; c: ExprNode; a: ExprNode; b: ExprNode };

export type Directive = { kind: 'if' | 'elif'; cond: ExprNode } | { kind: 'else' | 'endif' };

export function expressionError(line: number, text: string, why: string): DeployError {
  const source = /^\$\{\{[\s\S]*\}\}$/.test(text) ? text.slice(3, -2).trim() : text;
  const shown = source.length > 120 ? source.slice(0, 117) + '...' : source;
  return new DeployError(
    'TEMPLATE_EXPRESSION',
    `Line ${line}: cannot evaluate \${{ ${shown} }}: ${why}.`,
    'Template expressions may use defaults.<name>, inputs.<name>, SEALOS_* variables, random(n), base64(x), string literals, ===, !==, &&, ||, !, + and ?:; fix the expression and render again.',
    { line },
  );
}

function tokenize(src: string, line: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (why: string) => expressionError(line, src, why);
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const start = i++;
      let v = '';
      for (;;) {
        if (i >= src.length) throw fail('unterminated string literal');
        const ch = src[i++] as string;
        if (ch === c) break;
        if (ch === '\\') {
          const esc = src[i++];
          if (esc === undefined) throw fail('unterminated string literal');
          v += esc === 'n' ? '\n' : esc === 't' ? '\t' : esc;
        } else v += ch;
      }
      out.push({ t: 'str', v, pos: start });
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(?:\.[0-9]+)?/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'num', v: Number(m[0]), pos: i });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'id', v: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    const three = src.slice(i, i + 3);
    if (three === '===' || three === '!==') {
      out.push({ t: 'op', v: three, pos: i });
      i += 3;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      out.push({ t: 'op', v: two, pos: i });
      i += 2;
      continue;
    }
    if (two === '==' || two === '!=') throw fail(`"${two}" is not supported, use "${two}=" (strict comparison)`);
    if ('().[],!+?:'.includes(c)) {
      out.push({ t: 'op', v: c, pos: i });
      i++;
      continue;
    }
    throw fail(`unexpected character "${c}" at column ${i + 1}`);
  }
  out.push({ t: 'eof', pos: src.length });
  return out;
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly toks: Token[],
    private readonly src: string,
    private readonly line: number,
  ) {}

  fail(why: string): DeployError {
    return expressionError(this.line, this.src, why);
  }
  peek(): Token {
    return this.toks[this.i] as Token;
  }
  next(): Token {
    return this.toks[this.i++] as Token;
  }
  isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  expectOp(v: string): void {
    if (!this.isOp(v)) throw this.fail(`expected "${v}" ${this.where()}`);
    this.i++;
  }
  where(): string {
    const t = this.peek();
    return t.t === 'eof' ? 'at the end' : `at column ${t.pos + 1}`;
  }
  expectEnd(): void {
    if (this.peek().t !== 'eof') throw this.fail(`unexpected ${describe(this.peek())} ${this.where()}`);
  }

  directive(): Directive | null {
    const t = this.peek();
    const after = this.toks[this.i + 1];
    if (t.t !== 'id' || !DIRECTIVES.has(t.v) || !after || after.t !== 'op' || after.v !== '(') return null;
    this.i += 2;
    const kind = t.v as Directive['kind'];
    if (kind === 'else' || kind === 'endif') {
      this.expectOp(')');
      this.expectEnd();
      return { kind };
    }
    if (this.isOp(')')) throw this.fail(`${kind}() needs a condition`);
    const cond = this.expr();
    this.expectOp(')');
    this.expectEnd();
    return { kind, cond };
  }

  expr(): ExprNode {
    if (++this.depth > MAX_DEPTH) throw this.fail('the expression is nested too deeply');
    try {
      const c = this.or();
      if (!this.isOp('?')) return c;
      this.i++;
      const a = this.expr();
      this.expectOp(':');
      const b = this.expr();
      return { k: 'cond', c, a, b };
    } finally {
      this.depth--;
    }
  }
  or(): ExprNode {
    let l = this.and();
    while (this.isOp('||')) {
      this.i++;
      l = { k: 'bin', op: '||', l, r: this.and() };
    }
    return l;
  }
  and(): ExprNode {
    let l = this.eq();
    while (this.isOp('&&')) {
      this.i++;
      l = { k: 'bin', op: '&&', l, r: this.eq() };
    }
    return l;
  }
  eq(): ExprNode {
    let l = this.add();
    while (this.isOp('===') || this.isOp('!==')) {
      const op = (this.next() as { v: '===' | '!==' }).v;
      l = { k: 'bin', op, l, r: this.add() };
    }
    return l;
  }
  add(): ExprNode {
    let l = this.unary();
    while (this.isOp('+')) {
      this.i++;
      l = { k: 'bin', op: '+', l, r: this.unary() };
    }
    return l;
  }
  unary(): ExprNode {
    if (this.isOp('!')) {
      this.i++;
      if (++this.depth > MAX_DEPTH) throw this.fail('the expression is nested too deeply');
      try {
        return { k: 'not', e: this.unary() };
      } finally {
        this.depth--;
      }
    }
    return this.primary();
  }
  primary(): ExprNode {
    const t = this.next();
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'num') return { k: 'lit', v: t.v };
    if (t.t === 'op' && t.v === '(') {
      const e = this.expr();
      this.expectOp(')');
      return e;
    }
    if (t.t !== 'id') throw this.fail(`unexpected ${describe(t)} at ${t.t === 'eof' ? 'the end' : `column ${t.pos + 1}`}`);
    const name = t.v;
    if (FORBIDDEN_NAMES.has(name)) throw this.fail(`"${name}" is not allowed`);
    if (name === 'true' || name === 'false') return { k: 'lit', v: name === 'true' };
    if (this.isOp('(')) {
      if (DIRECTIVES.has(name)) throw this.fail(`${name}() must be on a line of its own`);
      if (!FUNCTIONS.has(name)) throw this.fail(`unknown function "${name}" (only random(n) and base64(x) exist)`);
      this.i++;
      const args: ExprNode[] = [];
      if (!this.isOp(')')) {
        args.push(this.expr());
        while (this.isOp(',')) {
          this.i++;
          args.push(this.expr());
        }
      }
      this.expectOp(')');
      if (args.length !== 1) throw this.fail(`${name}() takes exactly one argument`);
      return { k: 'call', fn: name, args };
    }
    if (ROOTS.has(name)) {
      let key: string;
      if (this.isOp('.')) {
        this.i++;
        const k = this.next();
        if (k.t !== 'id') throw this.fail(`expected a name after "${name}."`);
        key = k.v;
      } else if (this.isOp('[')) {
        this.i++;
        const k = this.next();
        if (k.t !== 'str') throw this.fail(`only a string literal may follow "${name}["`);
        key = k.v;
        this.expectOp(']');
      } else throw this.fail(`"${name}" must be followed by .<name>`);
      if (FORBIDDEN_NAMES.has(key)) throw this.fail(`"${key}" is not allowed`);
      if (this.isOp('.') || this.isOp('[') || this.isOp('(')) {
        throw this.fail(`"${name}.${key}" is a value; property access or calls on it are not supported`);
      }
      return { k: 'member', root: name as 'defaults' | 'inputs', key };
    }
    if ((PLATFORM_VARIABLES as readonly string[]).includes(name)) {
      if (this.isOp('.') || this.isOp('[')) throw this.fail(`"${name}" is a value; property access on it is not supported`);
      return { k: 'var', name };
    }
    throw this.fail(`unknown identifier "${name}"`);
  }
}

function describe(t: Token): string {
  if (t.t === 'eof') return 'end of expression';
  if (t.t === 'str') return 'string';
  if (t.t === 'num') return 'number';
  return `"${t.v}"`;
}

function parser(src: string, line: number): Parser {
  if (src.length > MAX_EXPRESSION_LENGTH) throw expressionError(line, src, `longer than ${MAX_EXPRESSION_LENGTH} characters`);
  return new Parser(tokenize(src, line), src, line);
}

/** Parses one expression (the text between `${{` and `}}`). */
export function parseExpression(src: string, line: number): ExprNode {
  if (src.trim() === '') throw expressionError(line, src, 'the expression is empty');
  const p = parser(src, line);
  if (p.directive()) throw p.fail('if()/elif()/else()/endif() must be on a line of its own');
  const node = p.expr();
  p.expectEnd();
  return node;
}

/** Parses `if(x)`, `elif(x)`, `else()` or `endif()`; null when the text is an ordinary expression. */
export function parseDirective(src: string, line: number): Directive | null {
  return parser(src, line).directive();
}

function truthy(v: ExprValue): boolean {
  return typeof v === 'string' ? v !== '' : typeof v === 'number' ? v !== 0 && !Number.isNaN(v) : v;
}

export function evaluateNode(node: ExprNode, scope: ExprScope, src: string, line: number): ExprValue {
  const ev = (n: ExprNode): ExprValue => evaluateNode(n, scope, src, line);
  switch (node.k) {
    case 'lit':
      return node.v;
    case 'var': {
      const v = scope.vars.get(node.name);
      if (v === undefined) throw expressionError(line, src, `${node.name} is not available here`);
      return v;
    }
    case 'member': {
      const map = node.root === 'defaults' ? scope.defaults : scope.inputs;
      const v = map.get(node.key);
      if (v === undefined) throw expressionError(line, src, `${node.root}.${node.key} is not defined${node.root === 'inputs' ? ' in spec.inputs' : ' in spec.defaults'}`);
      return v;
    }
    case 'call': {
      const arg = ev(node.args[0] as ExprNode);
      if (node.fn === 'random') {
        if (typeof arg !== 'number' || !Number.isInteger(arg) || arg < 1 || arg > MAX_RANDOM) {
          throw expressionError(line, src, `random(n) needs a whole number from 1 to ${MAX_RANDOM}`);
        }
        return scope.random(arg);
      }
      return Buffer.from(String(arg), 'utf8').toString('base64');
    }
    case 'not':
      return !truthy(ev(node.e));
    case 'cond':
      return truthy(ev(node.c)) ? ev(node.a) : ev(node.b);
    case 'bin': {
      if (node.op === '&&') {
        const l = ev(node.l);
        return truthy(l) ? ev(node.r) : l;
      }
      if (node.op === '||') {
        const l = ev(node.l);
        return truthy(l) ? l : ev(node.r);
      }
      const l = ev(node.l);
      const r = ev(node.r);
      if (node.op === '===') return l === r;
      if (node.op === '!==') return l !== r;
      return typeof l === 'number' && typeof r === 'number' ? l + r : String(l) + String(r);
    }
  }
}

export function evaluateExpression(src: string, scope: ExprScope, line: number): ExprValue {
  return evaluateNode(parseExpression(src, line), scope, src, line);
}

export function isTruthy(v: ExprValue): boolean {
  return truthy(v);
}

const OPEN = '${{';
const CLOSE = '}}';

/** Splits a text into literal parts and `${{ }}` expression sources. */
export function splitExpressions(text: string, line: number): Array<{ lit: string } | { expr: string }> {
  const parts: Array<{ lit: string } | { expr: string }> = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf(OPEN, i);
    if (open < 0) {
      parts.push({ lit: text.slice(i) });
      break;
    }
    if (open > i) parts.push({ lit: text.slice(i, open) });
    const close = text.indexOf(CLOSE, open + OPEN.length);
    if (close < 0) throw expressionError(line, text.slice(open + OPEN.length).trim(), 'the expression has no closing "}}"');
    parts.push({ expr: text.slice(open + OPEN.length, close).trim() });
    i = close + CLOSE.length;
  }
  return parts;
}

/** Replaces every `${{ expr }}` in a string. */
export function substitute(text: string, scope: ExprScope, line: number): string {
  if (!text.includes(OPEN)) return text;
  return splitExpressions(text, line)
    .map((p) => ('lit' in p ? p.lit : String(evaluateExpression(p.expr, scope, line))))
    .join('');
}

/** True when the whole text is exactly one `${{ }}` expression (used to restore numbers and booleans). */
export function isSingleExpression(text: string): boolean {
  const t = text.trim();
  return t.startsWith(OPEN) && t.endsWith(CLOSE) && t.indexOf(OPEN, 1) < 0;
}

/** The directive on a line that holds only `${{ if(...) }}` and the like; null for other lines. */
export function lineDirective(lineText: string, line: number): Directive | null {
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(lineText);
  if (!m || (m[1] as string).includes(CLOSE)) return null;
  return parseDirective((m[1] as string).trim(), line);
}
