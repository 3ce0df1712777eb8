/** One entry of `git status --porcelain=v1 -z`. */
export interface StatusEntry {
  /** Index (staged) and work-tree status letters; `??` for untracked files. */
  x: string;
  y: string;
  /** Relative to the top of the repository, whatever directory git ran in. */
  path: string;
  /** The source of a rename or copy. */
  from: string | null;
}

/**
 * Reads `git status --porcelain=v1 -z` output. A rename or copy (staged, or in the work tree for
 * intent-to-add files) names its source in the NUL-separated field after it.
 */
export function parsePorcelainZ(stdout: string): StatusEntry[] {
  const fields = stdout.split('\0');
  const out: StatusEntry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.length < 4) continue;
    const x = f[0]!;
    const y = f[1]!;
    const renamed = x === 'R' || x === 'C' || y === 'R' || y === 'C';
    out.push({ x, y, path: f.slice(3), from: renamed ? (fields[++i] ?? null) : null });
  }
  return out;
}
