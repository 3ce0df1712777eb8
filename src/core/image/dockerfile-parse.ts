/**
 * A Dockerfile parser that follows BuildKit's reading rules: parser directives (`# syntax=`,
 * `# escape=`), line continuations (comment lines inside a continuation are dropped), heredocs
 * (`RUN <<EOF` / `COPY <<'EOF' dest`), JSON (exec) form, `--flag=value` options, stages and
 * global `ARG`s substituted into `FROM`.
 */

export interface Heredoc {
  name: string;
  /** Whether the delimiter was quoted (no variable expansion in the body). */
  quoted: boolean;
  body: string;
}

export interface Instruction {
  /** Uppercased keyword: FROM, RUN, COPY... */
  keyword: string;
  /** Everything after the keyword and its --flags, continuations joined with a space. */
  args: string;
  /** `--from=build` → { from: "build" }; a bare `--link` → { link: "" }. */
  flags: Record<string, string>;
  /** Exec form (`["node", "server.js"]`) when the arguments are a JSON array of strings; null for shell form. */
  json: string[] | null;
  heredocs: Heredoc[];
  /** 1-based first and last line in the file. */
  line: number;
  endLine: number;
}

export interface Stage {
  index: number;
  /** `AS name`, lowercased; null when unnamed. */
  name: string | null;
  /** The image as written in FROM, e.g. "node:${NODE_VERSION}-slim". */
  image: string;
  /** The image with global ARG defaults substituted; null if a variable has no value. */
  resolvedImage: string | null;
  /** Index of the earlier stage this one builds on, when FROM names a stage. */
  parentStage: number | null;
  platform: string | null;
  line: number;
  /** Instructions after FROM, up to the next FROM. */
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  directives: Record<string, string>;
  /** Instructions before the first FROM (global ARGs). */
  globals: Instruction[];
  stages: Stage[];
  instructions: Instruction[];
  /** Problems that make the file unreadable by docker (unknown instruction, unterminated heredoc...). */
  errors: Array<{ line: number; message: string }>;
}

const KNOWN = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

function readDirectives(lines: string[]): { directives: Record<string, string>; start: number } {
  const directives: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^#\s*([a-zA-Z][a-zA-Z0-9-]*)\s*=\s*(\S+)\s*$/.exec(lines[i] ?? '');
    if (!m) break;
    const key = (m[1] ?? '').toLowerCase();
    if (key in directives) break;
    directives[key] = m[2] ?? '';
  }
  return { directives, start: i };
}

/** Splits leading `--name=value` / `--name` options off an instruction's arguments. */
function splitFlags(text: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = text;
  for (;;) {
    const m = /^--([a-zA-Z][a-zA-Z0-9-]*)(?:=("[^"]*"|\S*))?\s*/.exec(rest);
    if (!m) break;
    flags[(m[1] ?? '').toLowerCase()] = (m[2] ?? '').replace(/^"(.*)"$/, '$1');
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

/** The exec (JSON) form of an instruction's arguments (`["node", "index.js"]`); null for the shell form. */
export function parseJsonForm(text: string): string[] | null {
  const t = text.trim();
  if (!t.startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(t);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

/** Expands `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}`; returns null if a plain variable has no value. */
export function substitute(text: string, vars: Record<string, string | undefined>): string | null {
  let missing = false;
  const out = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced, op, word, bare) => {
    const name = (braced ?? bare) as string;
    const value = vars[name];
    if (op === '-') return value ? value : (word as string);
    if (op === '+') return value ? (word as string) : '';
    if (value === undefined) {
      missing = true;
      return '';
    }
    return value;
  });
  return missing ? null : out;
}

function argDefault(args: string): Array<[string, string | undefined]> {
  return args
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? [part, undefined] : [part.slice(0, eq), part.slice(eq + 1).replace(/^"(.*)"$/, '$1')];
    });
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const { directives, start } = readDirectives(lines);
  const escape = directives.escape === '`' ? '`' : '\\';
  const errors: ParsedDockerfile['errors'] = [];
  const instructions: Instruction[] = [];

  let i = start;
  while (i < lines.length) {
    const raw = lines[i] ?? '';
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    const firstLine = i + 1;
    // Join continuation lines; comment and empty lines inside a continuation are skipped.
    let logical = '';
    let current = raw;
    for (;;) {
      const stripped = current.replace(/\s+$/, '');
      if (stripped.endsWith(escape)) {
        logical += stripped.slice(0, -1) + ' ';
        i++;
        while (i < lines.length && /^\s*(#.*)?$/.test(lines[i] ?? '')) i++;
        if (i >= lines.length) break;
        current = lines[i] ?? '';
        continue;
      }
      logical += current;
      i++;
      break;
    }
    const m = /^\s*([A-Za-z]+)(?:\s+([\s\S]*))?$/.exec(logical);
    if (!m) {
      errors.push({ line: firstLine, message: `cannot read instruction "${logical.trim().slice(0, 60)}"` });
      continue;
    }
    const keyword = (m[1] ?? '').toUpperCase();
    if (!KNOWN.has(keyword)) errors.push({ line: firstLine, message: `unknown instruction ${keyword}` });
    const { flags, rest } = splitFlags((m[2] ?? '').trim());
    const heredocs: Heredoc[] = [];
    if (HEREDOC_KEYWORDS.has(keyword)) {
      for (const h of rest.matchAll(HEREDOC)) {
        const name = h[3] ?? '';
        const stripTabs = h[1] === '-';
        const body: string[] = [];
        let closed = false;
        while (i < lines.length) {
          const l = lines[i] ?? '';
          i++;
          if ((stripTabs ? l.replace(/^\t+/, '') : l) === name) {
            closed = true;
            break;
          }
          body.push(stripTabs ? l.replace(/^\t+/, '') : l);
        }
        if (!closed) errors.push({ line: firstLine, message: `heredoc <<${name} is never closed` });
        heredocs.push({ name, quoted: Boolean(h[2]), body: body.length ? body.join('\n') + '\n' : '' });
      }
    }
    instructions.push({ keyword, args: rest, flags, json: parseJsonForm(rest), heredocs, line: firstLine, endLine: i });
  }

  const globals: Instruction[] = [];
  const stages: Stage[] = [];
  const globalArgs: Record<string, string | undefined> = {};
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const words = ins.args.split(/\s+/).filter(Boolean);
      const image = words[0] ?? '';
      const asIdx = words.findIndex((w) => w.toLowerCase() === 'as');
      const name = asIdx > 0 ? (words[asIdx + 1] ?? '').toLowerCase() || null : null;
      const resolvedImage = substitute(image, globalArgs);
      const parent = resolvedImage === null ? -1 : stages.findIndex((s) => s.name !== null && s.name === resolvedImage.toLowerCase());
      if (!image) errors.push({ line: ins.line, message: 'FROM without an image' });
      stages.push({
        index: stages.length,
        name,
        image,
        resolvedImage,
        parentStage: parent >= 0 ? parent : null,
        platform: ins.flags.platform ?? null,
        line: ins.line,
        instructions: [],
      });
    } else if (stages.length === 0) {
      if (ins.keyword === 'ARG') for (const [k, v] of argDefault(ins.args)) globalArgs[k] = v;
      else errors.push({ line: ins.line, message: `${ins.keyword} before the first FROM (only ARG may come first)` });
      globals.push(ins);
    } else {
      stages[stages.length - 1]?.instructions.push(ins);
    }
  }
  if (stages.length === 0 && instructions.length > 0) errors.push({ line: 1, message: 'no FROM instruction' });
  return { directives, globals, stages, instructions, errors };
}

/** Splits an image into name / tag / digest without validating it (lint works on what is written). */
export function splitImage(image: string): { name: string; tag: string | null; digest: string | null } {
  let rest = image;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, tag: null, digest };
}
