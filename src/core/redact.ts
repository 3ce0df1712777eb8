/**
 * The one shared redactor: every secret value in play is registered here, and every log line, evidence
 * object, tool output and artifact passes through it before it leaves the process.
 */
import { escapeRegExp } from './escape-regexp.js';

export const REDACTED = '[REDACTED]';

/** Values shorter than this are ignored: redacting "on" or "1" would shred ordinary text. */
export const MIN_SECRET_LENGTH = 4;

export interface Redactor {
  /** Replaces every registered secret (raw, URL-encoded, base64) and URL passwords with [REDACTED]. */
  redact(text: string): string;
  /** A copy of a JSON-like value with every string redacted; strings under secret-looking keys are replaced whole. */
  redactDeep<V>(value: V): V;
  /** Registers another secret value (no-op for short or empty values). */
  add(secret: string): void;
  /** How many distinct secret values are registered. */
  readonly size: number;
}

// scheme://user:password@ and scheme://<long-token>@ (a token used as the user name).
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/?#'"]*):([^\s@/?#'"]+)@/gi;
const URL_TOKEN_USER = /\b([a-z][a-z0-9+.-]*:\/\/)([A-Za-z0-9_\-.~%]{20,})@/gi;

function encodings(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const uri = encodeURIComponent(secret);
  forms.add(uri);
  const b64 = Buffer.from(secret, 'utf8').toString('base64');
  forms.add(b64);
  forms.add(b64.replace(/=+$/, ''));
  forms.add(Buffer.from(secret, 'utf8').toString('base64url'));
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

export function createRedactor(secrets: Iterable<string> = []): Redactor {
  const values = new Set<string>();
  let pattern: RegExp | null = null;

  const rebuild = () => {
    const forms = new Set<string>();
    for (const v of values) for (const f of encodings(v)) forms.add(f);
    // Longest first so a secret that contains another is replaced whole.
    const sorted = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
    pattern = sorted.length ? new RegExp(sorted.join('|'), 'g') : null;
  };

  const add = (secret: string) => {
    if (typeof secret !== 'string') return;
    // Values read from files often end in a newline; logs show the value without it.
    const s = secret.trim();
    if (s.length < MIN_SECRET_LENGTH || values.has(s)) return;
    values.add(s);
    pattern = null;
    rebuild();
  };

  for (const s of secrets) add(s);

  const redact = (text: string): string => {
    if (typeof text !== 'string' || text.length === 0) return text;
    let out = pattern ? text.replace(pattern, REDACTED) : text;
    out = out.replace(URL_PASSWORD, (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`);
    out = out.replace(URL_TOKEN_USER, (_m, scheme: string) => `${scheme}${REDACTED}@`);
    return out;
  };

  const deep = (value: unknown, key: string | null, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return key !== null && looksSecretName(key) && value.length > 0 ? REDACTED : redact(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[circular]';
    seen.add(value);
    if (Array.isArray(value)) return value.map((v) => deep(v, null, seen));
    if (value instanceof Date) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redact(k)] = deep(v, k, seen);
    return out;
  };

  return {
    redact,
    redactDeep: <V>(value: V): V => deep(value, null, new WeakSet()) as V,
    add,
    get size() {
      return values.size;
    },
  };
}

const SECRET_NAME = [
  /SECRET/,
  /TOKEN/,
  /PASS(WORD|WD|PHRASE)?$/,
  /PASSWORD/,
  /(^|_)PWD($|_)/,
  /API_?KEY/,
  /ACCESS_?KEY/,
  /PRIVATE_?KEY/,
  /SIGNING_?KEY/,
  /ENCRYPTION_?KEY/,
  /CREDENTIALS?/,
  /(^|_)AUTH($|_)/,
  /AUTHORIZATION/,
  /COOKIE/,
  /SESSION_?(KEY|SECRET)?$/,
  /(^|_)SALT($|_)/,
  /(^|_)DSN$/,
  /(^|_)KEY$/,
  /(DATABASE|DB|REDIS|MONGO[A-Z]*|POSTGRES[A-Z]*|PG|MYSQL|AMQP|RABBITMQ|BROKER|CACHE)_(URL|URI)$/,
  /^(DATABASE_URL|MONGODB_URI|MONGO_URL|REDIS_URL)$/,
];
/** Public by construction: bundled into the browser, never a secret. */
const PUBLIC_PREFIX = /^(NEXT_PUBLIC_|VITE_|PUBLIC_|NUXT_PUBLIC_|REACT_APP_|EXPO_PUBLIC_|GATSBY_)/;
/**
 * Settings about a secret that hold no secret: its lifetime, size, algorithm, rotation or limits, or a switch (logto's
 * PRIVATE_KEY_ROTATION_GRACE_PERIOD, COOKIE_MAX_AGE, JWT_ACCESS_EXPIRATION_MINUTES, umami's SALT_ROTATION, Unleash's
 * PASSWORD_RESET_LIMIT_PER_MINUTE and AUTH_ENABLE_API_TOKEN).
 */
export const SECRET_SETTING = /_(PERIOD|TIMEOUT|INTERVAL|MINUTES|HOURS|DAYS|SECONDS|SECS|MS|TTL|EXPIRES?(_IN)?|EXPIRY|EXPIRATION|LIFETIME|DURATION|MAX_AGE|LENGTH|SIZE|ROUNDS|ALGORITHM|ALG|ENABLED|DISABLED|ROTATION|LIMIT|LIMIT_PER_\w+|PER_(MINUTE|HOUR|DAY|SECOND)|COUNT|ATTEMPTS|RETRIES|POLICY|STRATEGY)$|^(ENABLE|DISABLE|AUTH_ENABLE|AUTH_DISABLE)_/;
/** Names that mention a secret without holding one: the path to a file, the name of a key, where a login returns to. */
const NOT_A_VALUE = /(_FILE|_PATH|_DIR|_NAME|_ID|_HEADER|_STATUS|_STATE|_(REDIRECT|CALLBACK)(_URL|_URI)?)$/;

/** Heuristic: does an env var or field named like this hold a secret value? */
export function looksSecretName(name: string): boolean {
  const n = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
  if (PUBLIC_PREFIX.test(n)) return false;
  if (NOT_A_VALUE.test(n) || SECRET_SETTING.test(n)) return false;
  if (n === 'KEY' || n === 'AUTHOR' || /AUTHOR($|_)/.test(n)) return false;
  return SECRET_NAME.some((re) => re.test(n));
}

/** What maskCommandSecrets writes in place of a secret: a value nothing may use (an image must not bake it). */
export const MASKED = '***';

/** Values that are credentials whatever they are called: provider key prefixes, private keys. */
const CREDENTIAL_WORD = /^(sk|pk|rk)_(live|test)_\w+|^gh[pousr]_\w+|^xox[abp]-[\w-]+|^AKIA[0-9A-Z]{12,}|^-----BEGIN/;

/**
 * A URL on this machine or a reserved example host (`postgresql://user:pass@localhost:5432/dummy`): the stand-in a
 * build step needs (`prisma generate`, `next build`), which opens nothing anywhere else. Not a secret.
 */
function localUrl(value: string): boolean {
  const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/\s@]*@)?(\[[^\]/\s]*\]?|[^/\s:?#]+)/i.exec(value)?.[1]?.toLowerCase();
  return !!host && /^(localhost|127(\.\d+){3}|0\.0\.0\.0|\[::1?\]?|[\w.-]*\.(localhost|invalid|test|example)|example\.(com|org|net)|[\w.-]+\.example\.(com|org|net))$/.test(host);
}

/**
 * A datastore address with no password in it (`file:/data/sqlite.db`, `redis://cache:6379`): a secret name, but
 * nothing secret. Only datastore schemes: an https URL can carry its secret in the path (a webhook).
 */
function noCredentialUrl(value: string): boolean {
  const m = /^(?:file|sqlite|postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|nats):(\/\/([^/\s@]*)@)?/i.exec(value);
  return !!m && !(m[2] ?? '').includes(':') && !/[?&](password|pass|pwd|token|secret|key)=/i.test(value);
}

/**
 * A command line with the secrets written into it masked: `STRIPE_SECRET_KEY=sk_live_… node s.js`,
 * `--token=abc`, `--password abc`, a provider key anywhere, the password of a URL. Returns the names (or
 * flags) whose values were masked, so the caller can report the committed secret without repeating it.
 */
export function maskCommandSecrets(command: string): { text: string; masked: string[]; placeholdersOnly: boolean } {
  const masked: string[] = [];
  // Values that are plainly stand-ins (`RESEND_API_KEY=test-key` in a test script): masked all the same.
  let real = 0;
  let text = command.replace(/(^|[\s;&|("',[])([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|)"',\]]+)/g, (all, pre: string, name: string, value: string, at: number, whole: string) => {
    const bare = value.replace(/^["']|["']$/g, '');
    if (!bare || bare.startsWith('$') || localUrl(bare) || (looksSecretName(name) && noCredentialUrl(bare) && !CREDENTIAL_WORD.test(bare)) || !(looksSecretName(name) || CREDENTIAL_WORD.test(bare)))
      return all;
    // `docker run -e POSTGRES_PASSWORD=postgres postgres`: a throwaway local container's one-word default.
    if (/(^|\s)(-e|--env)\s+$/.test(whole.slice(0, at + pre.length)) && /^[a-z]{2,16}[#!]?$/.test(bare)) return all;
    // Azurite's account key is public (the storage emulator's, documented beside devstoreaccount1).
    if (!STAND_IN.test(bare) && !(name === 'AccountKey' && /AccountName=devstoreaccount1\b/.test(whole))) real++;
    masked.push(name);
    return `${pre}${name}=${MASKED}`;
  });
  // Shell words or exec-form JSON (`["node", "s.js", "--password=x"]`).
  text = text.replace(/(^|[\s"',[])(--?[A-Za-z][\w-]*)(=|\s+)("[^"]*"|'[^']*'|[^\s;&|)"',\]]+)/g, (all, pre: string, flag: string, sep: string, value: string) => {
    const bare = value.replace(/^["']|["']$/g, '');
    if (!bare || bare.startsWith('$') || bare.startsWith('-') || !looksSecretName(flag.replace(/^-+/, ''))) return all;
    // BuildKit's `--secret id=NPM_TOKEN,env=NPM_TOKEN` (or `src=path`) names where a secret comes from: no value of it.
    if (/^(id|src|source|env|type|target|dst|required|mode|uid|gid)=[^,]*(,(id|src|source|env|type|target|dst|required|mode|uid|gid)=[^,]*)*$/i.test(bare)) return all;
    if (!STAND_IN.test(bare)) real++;
    masked.push(flag);
    return `${pre}${flag}${sep}${MASKED}`;
  });
  text = text.replace(/[^\s'"=]+/g, (word) => {
    if (CREDENTIAL_WORD.test(word)) {
      real++;
      masked.push('a credential');
      return MASKED;
    }
    // scheme://user:password@host
    if (localUrl(word)) return word;
    return word.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)([^/\s@]+)(@)/i, (_m, a: string, _p: string, b: string) => {
      real++;
      masked.push('a URL password');
      return `${a}${MASKED}${b}`;
    });
  });
  return { text, masked: [...new Set(masked)], placeholdersOnly: masked.length > 0 && real === 0 };
}

/** A value that only stands in for a secret: `test-key`, `test-secret`, `dummy`, `fake_token`, `xxx`. */
const STAND_IN = /^(test|testing|dummy|fake|mock|example|placeholder|changeme|foo|bar|x{3,})([-_.:][\w.-]*)?$/i;
