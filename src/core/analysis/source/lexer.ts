/**
 * A small JS/TS/JSX tokenizer for the fast tier of source analysis. It knows where comments,
 * strings, template literals, regex literals and JSX text are, so facts read from its tokens never
 * come from inside them. Tokens live in shared typed arrays (no object per token): one file is
 * lexed, read and dropped before the next. Anything it is not sure about sets `unsure`, and the
 * caller then hands the file to the real parser.
 */

export const enum Tok {
  Ident = 1,
  Punct = 2,
  String = 3,
  /** A template literal without substitutions. */
  Template = 4,
  /** `...${`, `}...${`, `}...\``: parts of a template with substitutions. */
  TemplateHead = 5,
  TemplateMiddle = 6,
  TemplateTail = 7,
  Number = 8,
  Regex = 9,
  Private = 10,
  /** A whole JSX element or fragment (its expression containers are lexed as code inside it). */
  Jsx = 11,
}

export interface Tokens {
  count: number;
  kind: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  /** Ident: hash of the name; Punct: packed char codes; String/Template: 1 when it has a backslash. */
  val: Int32Array;
  /** 1 when a line break precedes the token. */
  nl: Uint8Array;
  /** The lexer met something it does not model exactly (unterminated literal, odd JSX, unicode escape). */
  unsure: boolean;
}

/** Hash of an identifier, as the lexer computes it. */
export function identHash(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
  return h;
}

/** Packed code of a punctuator, as the lexer stores it. */
export function punct(p: string): number {
  let v = 0;
  for (let i = 0; i < p.length; i++) v |= p.charCodeAt(i) << (8 * i);
  return v;
}

let cap = 4096;
const buf: Tokens = {
  count: 0,
  kind: new Uint8Array(cap),
  start: new Int32Array(cap),
  end: new Int32Array(cap),
  val: new Int32Array(cap),
  nl: new Uint8Array(cap),
  unsure: false,
};

function grow(): void {
  cap *= 2;
  const k = new Uint8Array(cap);
  k.set(buf.kind);
  const s = new Int32Array(cap);
  s.set(buf.start);
  const e = new Int32Array(cap);
  e.set(buf.end);
  const v = new Int32Array(cap);
  v.set(buf.val);
  const n = new Uint8Array(cap);
  n.set(buf.nl);
  buf.kind = k;
  buf.start = s;
  buf.end = e;
  buf.val = v;
  buf.nl = n;
}

// Keywords after which `/` starts a regex and `<` starts JSX (an expression is expected).
const EXPR_KEYWORDS = new Set(
  ['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await', 'extends'].map(identHash),
);
// One bit per low 12 bits of a keyword hash: most identifiers are told apart without a set lookup.
const MAYBE_KEYWORD = new Uint8Array(512);
for (const h of EXPR_KEYWORDS) MAYBE_KEYWORD[(h & 0xfff) >> 3]! |= 1 << (h & 7);

const CLOSE_PAREN = 41;
const CLOSE_BRACKET = 93;

// Character classes for ASCII: 1 identifier start, 2 identifier part (digits too).
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 36 || c === 95) CLASS[c] = 3;
  else if (c >= 48 && c <= 57) CLASS[c] = 2;
}
function isIdentStart(c: number): boolean {
  return c < 128 ? (CLASS[c]! & 1) === 1 : true;
}
function isIdentPart(c: number): boolean {
  return c < 128 ? CLASS[c]! !== 0 : true;
}

// Context stack frames: what a `}` returns to.
const F_BRACE = 0;
const F_TEMPLATE = 1;
const F_JSX_ATTR = 2;
const F_JSX_CHILD = 3;

// Lexer state for the file being tokenized (module-level: no closure per call).
let text = '';
let n = 0;
let i = 0;
let nl = 0;
// Whether the previous significant token ends an expression (then `/` divides and `<` compares).
let exprEnd = false;
let frames: number[] = [];
let depths: number[] = [];
let jsxStart = -1;
let tEnd = 0;
let tSubst = false;
let tEsc = false;

function emitTok(kind: number, s: number, e: number, val: number, lineBreak: number): void {
  if (buf.count === cap) grow();
  const k = buf.count++;
  buf.kind[k] = kind;
  buf.start[k] = s;
  buf.end[k] = e;
  buf.val[k] = val;
  buf.nl[k] = lineBreak;
}

/** A token that carries (and clears) the pending line-break flag. */
function push(kind: number, s: number, e: number, val: number): void {
  emitTok(kind, s, e, val, nl);
  nl = 0;
}

/** Scans template characters from i (just after ` or }); sets tEnd, tSubst (ended with `${`), tEsc. */
function templateChars(): void {
  tEsc = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      tEsc = true;
      i += 2;
    } else if (c === 96) {
      i++;
      tEnd = i;
      tSubst = false;
      return;
    } else if (c === 36 && text.charCodeAt(i + 1) === 123) {
      i += 2;
      tEnd = i;
      tSubst = true;
      return;
    } else i++;
  }
  buf.unsure = true;
  tEnd = n;
  tSubst = false;
}

// JSX: returns true when an expression container opened (the caller continues lexing code),
// false when the outermost element of this island closed.
function jsxTagBody(depth: number): boolean {
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
    } else if (c === 123) {
      push(Tok.Punct, i, i + 1, 123);
      i++;
      frames.push(F_JSX_ATTR);
      depths.push(depth);
      exprEnd = false;
      return true;
    } else if (c === 34 || c === 39) {
      // JSX attribute strings have no escapes.
      const e = text.indexOf(text[i]!, i + 1);
      if (e === -1) {
        buf.unsure = true;
        i = n;
        return false;
      }
      i = e + 1;
    } else if (c === 47 && text.charCodeAt(i + 1) === 62) {
      i += 2;
      return depth === 0 ? false : jsxChildren(depth);
    } else if (c === 62) {
      i++;
      return jsxChildren(depth + 1);
    } else if (isIdentPart(c) || c === 45 || c === 58 || c === 61 || c === 46) {
      i++;
    } else {
      // An element as an attribute value, a generic arrow in .tsx: not modelled.
      buf.unsure = true;
      i++;
      return false;
    }
  }
  buf.unsure = true;
  return false;
}

function jsxChildren(depth: number): boolean {
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 123) {
      push(Tok.Punct, i, i + 1, 123);
      i++;
      frames.push(F_JSX_CHILD);
      depths.push(depth);
      exprEnd = false;
      return true;
    }
    if (c === 60) {
      let j = i + 1;
      while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 10 || text.charCodeAt(j) === 13 || text.charCodeAt(j) === 9)) j++;
      if (text.charCodeAt(j) === 47) {
        const e = text.indexOf('>', j);
        if (e === -1) {
          buf.unsure = true;
          i = n;
          return false;
        }
        i = e + 1;
        depth--;
        if (depth === 0) return false;
        continue;
      }
      i++;
      if (text.charCodeAt(i) === 62) {
        i++;
        depth++;
        continue;
      }
      if (jsxTagBody(depth)) return true;
      if (depth === 0) return false;
      continue;
    }
    i++;
  }
  buf.unsure = true;
  return false;
}

function endJsx(): void {
  push(Tok.Jsx, jsxStart, i, 0);
  exprEnd = true;
}

/**
 * Tokenize `source`. `jsx` enables JSX (plain .js and .jsx/.tsx files, as the parser treats them).
 * The result is overwritten by the next call.
 */
export function lex(source: string, jsx: boolean): Tokens {
  const t = buf;
  t.count = 0;
  t.unsure = false;
  text = source;
  n = source.length;
  nl = 0;
  exprEnd = false;
  frames = [];
  depths = [];
  jsxStart = -1;
  // Hot state lives in locals; the JSX/template helpers share it through the module variables.
  const src = source;
  const len = source.length;
  let p = 0;
  let brk = 0;
  let ee = false;
  // A template head (at `) or a middle/tail (at the } closing a substitution): scan its text, then
  // either open a substitution frame or end the template.
  const templatePart = (more: number, last: number): void => {
    const s = p;
    i = p + 1;
    nl = brk;
    exprEnd = ee;
    templateChars();
    p = i;
    brk = nl;
    emitTok(tSubst ? more : last, s, tEnd, tEsc ? 1 : 0, brk);
    brk = 0;
    if (tSubst) {
      frames.push(F_TEMPLATE);
      depths.push(0);
    }
    ee = !tSubst;
  };
  while (p < len) {
    const c = src.charCodeAt(p);
    if (c === 32 || c === 9) {
      p++;
      continue;
    }
    if (c === 10 || c === 13) {
      brk = 1;
      p++;
      continue;
    }
    if (c < 128 ? CLASS[c] === 3 : c !== 0x2028 && c !== 0x2029 && c !== 0xa0 && c !== 0xfeff && !(c >= 0x2000 && c <= 0x200a) && c !== 0x3000) {
      const s = p;
      let h = 0;
      while (p < len) {
        const d = src.charCodeAt(p);
        if (d < 128) {
          if (CLASS[d] === 0) break;
        } else if (d === 0xa0 || d === 0x2028 || d === 0x2029 || d === 0xfeff || (d >= 0x2000 && d <= 0x200a) || d === 0x3000) break;
        h = (Math.imul(h, 31) + d) | 0;
        p++;
      }
      if (src.charCodeAt(p) === 92) t.unsure = true;
      emitTok(Tok.Ident, s, p, h, brk);
      brk = 0;
      // Keywords that expect an expression are all lowercase and short.
      ee = p - s > 10 || src.charCodeAt(s) < 97 || (MAYBE_KEYWORD[(h & 0xfff) >> 3]! & (1 << (h & 7))) === 0 || !EXPR_KEYWORDS.has(h);
      continue;
    }
    if (c >= 128) {
      if (c === 0x2028 || c === 0x2029) brk = 1;
      p++;
      continue;
    }
    if (c === 11 || c === 12) {
      p++;
      continue;
    }
    if (c >= 48 && c <= 57) {
      const s = p;
      p++;
      while (p < len) {
        const d = src.charCodeAt(p);
        if ((d < 128 && CLASS[d] !== 0) || d === 46) {
          if ((d === 101 || d === 69) && (src.charCodeAt(p + 1) === 43 || src.charCodeAt(p + 1) === 45) && src.charCodeAt(s + 1) !== 120 && src.charCodeAt(s + 1) !== 88) p += 2;
          else p++;
        } else break;
      }
      emitTok(Tok.Number, s, p, 0, brk);
      brk = 0;
      ee = true;
      continue;
    }
    if (c === 34 || c === 39) {
      const s = p;
      let esc = 0;
      p++;
      let closed = false;
      while (p < len) {
        const d = src.charCodeAt(p);
        if (d === c) {
          closed = true;
          break;
        }
        if (d === 92) {
          esc = 1;
          p += 2;
          continue;
        }
        if (d === 10 || d === 13) break;
        p++;
      }
      if (!closed) t.unsure = true;
      p = Math.min(p + 1, len);
      emitTok(Tok.String, s, p, esc, brk);
      brk = 0;
      ee = true;
      continue;
    }
    if (c === 96) {
      templatePart(Tok.TemplateHead, Tok.Template);
      continue;
    }
    if (c === 47) {
      const d = src.charCodeAt(p + 1);
      if (d === 47) {
        const e = src.indexOf('\n', p);
        p = e === -1 ? len : e;
        continue;
      }
      if (d === 42) {
        const e = src.indexOf('*/', p + 2);
        if (e === -1) {
          t.unsure = true;
          p = len;
        } else {
          const nlAt = src.indexOf('\n', p);
          if (nlAt !== -1 && nlAt < e) brk = 1;
          p = e + 2;
        }
        continue;
      }
      if (!ee) {
        // A regex literal: to the closing `/` outside a class, on the same line.
        let j = p + 1;
        let inClass = false;
        let ok = false;
        while (j < len) {
          const e = src.charCodeAt(j);
          if (e === 10 || e === 13) break;
          if (e === 92) {
            j += 2;
            continue;
          }
          if (e === 91) inClass = true;
          else if (e === 93) inClass = false;
          else if (e === 47 && !inClass) {
            ok = true;
            break;
          }
          j++;
        }
        if (ok) {
          j++;
          while (j < len && isIdentPart(src.charCodeAt(j))) j++;
          emitTok(Tok.Regex, p, j, 0, brk);
      brk = 0;
          p = j;
          ee = true;
          continue;
        }
        t.unsure = true;
      }
    }
    if (c === 35) {
      if (p === 0 && src.charCodeAt(1) === 33) {
        const e = src.indexOf('\n');
        p = e === -1 ? len : e;
        continue;
      }
      const s = p;
      p++;
      while (p < len && isIdentPart(src.charCodeAt(p))) p++;
      emitTok(Tok.Private, s, p, 0, brk);
      brk = 0;
      ee = true;
      continue;
    }
    if (c === 92) {
      t.unsure = true;
      p++;
      continue;
    }
    // JSX element where an expression may start.
    if (c === 60 && jsx && !ee) {
      const d = src.charCodeAt(p + 1);
      if (isIdentStart(d) || d === 62) {
        i = p;
      nl = brk;
      exprEnd = ee;
        jsxStart = i;
        i++;
        let opened: boolean;
        if (d === 62) {
          i++;
          opened = jsxChildren(1);
        } else opened = jsxTagBody(0);
        if (!opened) endJsx();
        p = i;
      brk = nl;
      ee = exprEnd;
        continue;
      }
    }
    if (c === 125) {
      const f = frames.length ? frames.pop()! : F_BRACE;
      const depth = depths.length ? depths.pop()! : 0;
      if (f === F_TEMPLATE) {
        templatePart(Tok.TemplateMiddle, Tok.TemplateTail);
        continue;
      }
      emitTok(Tok.Punct, p, p + 1, 125, brk);
      brk = 0;
      p++;
      if (f === F_JSX_ATTR || f === F_JSX_CHILD) {
        i = p;
      nl = brk;
      exprEnd = ee;
        if (!(f === F_JSX_ATTR ? jsxTagBody(depth) : jsxChildren(depth))) endJsx();
        p = i;
      brk = nl;
      ee = exprEnd;
        continue;
      }
      ee = false;
      continue;
    }
    if (c === 123) {
      frames.push(F_BRACE);
      depths.push(0);
      emitTok(Tok.Punct, p, p + 1, 123, brk);
      brk = 0;
      p++;
      ee = false;
      continue;
    }
    // Punctuators, longest first.
    const s = p;
    let l = 1;
    const c1 = src.charCodeAt(p + 1);
    const c2 = src.charCodeAt(p + 2);
    switch (c) {
      case 61: // =
        l = c1 === 61 ? (c2 === 61 ? 3 : 2) : c1 === 62 ? 2 : 1;
        break;
      case 33: // !
        l = c1 === 61 ? (c2 === 61 ? 3 : 2) : 1;
        break;
      case 63: // ?
        l = c1 === 63 ? (c2 === 61 ? 3 : 2) : c1 === 46 && !(c2 >= 48 && c2 <= 57) ? 2 : 1;
        break;
      case 124: // |
      case 38: // &
        l = c1 === c ? (c2 === 61 ? 3 : 2) : c1 === 61 ? 2 : 1;
        break;
      case 46: // .
        l = c1 === 46 && c2 === 46 ? 3 : 1;
        if (l === 1 && c1 >= 48 && c1 <= 57) {
          // `.5`
          p++;
          while (p < len && (isIdentPart(src.charCodeAt(p)) || src.charCodeAt(p) === 46)) p++;
          emitTok(Tok.Number, s, p, 0, brk);
      brk = 0;
          ee = true;
          continue;
        }
        break;
      case 43: // +
      case 45: // -
        l = c1 === c || c1 === 61 ? 2 : 1;
        break;
      case 42: // *
        l = c1 === 42 ? (c2 === 61 ? 3 : 2) : c1 === 61 ? 2 : 1;
        break;
      case 60: // <
        l = c1 === 60 ? (c2 === 61 ? 3 : 2) : c1 === 61 ? 2 : 1;
        break;
      case 62: // > (`>>` is left as two tokens: TS closes generics with it)
        l = c1 === 61 ? 2 : 1;
        break;
      case 37: // %
      case 94: // ^
      case 47: // /
        l = c1 === 61 ? 2 : 1;
        break;
      default:
        l = 1;
    }
    const v = l === 1 ? c : l === 2 ? c | (c1 << 8) : c | (c1 << 8) | (c2 << 16);
    p += l;
    emitTok(Tok.Punct, s, p, v, brk);
      brk = 0;
    if (c === 40 || c === 91) {
      frames.push(F_BRACE);
      depths.push(0);
      ee = false;
    } else if (c === CLOSE_PAREN || c === CLOSE_BRACKET) {
      frames.pop();
      depths.pop();
      ee = true;
    } else ee = l === 2 && (v === PLUSPLUS || v === MINUSMINUS);
  }
  if (frames.length > 0) t.unsure = true;
  return t;
}

const PLUSPLUS = punct('++');
const MINUSMINUS = punct('--');
