/** Where a fact came from: a file (repo-relative, POSIX separators), a 1-based line, and the rule that fired. */
export interface Evidence {
  file: string;
  line: number;
  rule: string;
  /** A short excerpt of the source line, trimmed; never a secret value. */
  snippet?: string;
}

export function evidence(file: string, line: number, rule: string, snippet?: string): Evidence {
  const e: Evidence = { file, line, rule };
  if (snippet !== undefined) e.snippet = snippet.trim().slice(0, 160);
  return e;
}

/** 1-based line number of a character offset in a text. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The 1-based line number of the first line matching `pattern`, or 1 when none does. */
export function lineMatching(text: string, pattern: RegExp | string): number {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (typeof pattern === 'string' ? l.includes(pattern) : pattern.test(l)) return i + 1;
  }
  return 1;
}
