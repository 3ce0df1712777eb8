import { createRedactor } from '../redact.js';

/** Replaces every secret (raw, URL-encoded, base64 as in Basic auth headers) with [REDACTED]. */
export function redactSecrets(text: string, secrets: string[]): string {
  return createRedactor(secrets).redact(text);
}

/** The last `n` non-empty lines of a log, redacted, ANSI colours stripped. */
export function logTail(log: string, n: number, secrets: string[] = []): string[] {
  const redactor = createRedactor(secrets);
  return redactor
    .redact(log)
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(-n);
}
