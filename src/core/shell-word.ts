/**
 * A path or value as one word of a POSIX shell command line, for the commands we print as next steps:
 * as it is when it is plain, else single-quoted. `sealos-deploy analyze /home/me/my service` would
 * analyze `/home/me/my` and stop at the extra word.
 */
export function shellWord(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
