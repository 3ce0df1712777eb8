import { escapeRegExp } from '../../escape-regexp.js';
import { SECRET_SETTING } from '../../redact.js';
import { evidence, type Evidence } from '../../evidence.js';
import type { EnvClass, EnvVar, Finding } from '../../state/analysis-schema.js';
import { args, child, children, covers, looksSecret, memberPath, objectKeys, objectProp, unwrap, type Node } from './ast.js';
import { callsNamed, type EnvRead, type FileScan } from './scan.js';
import { classValidatorVars } from './class-validator.js';
import { adonisEnvVars } from './adonis-env.js';
import { jsonSchemaEnvVars } from './json-schema-env.js';
import { schemaMappedVars } from './schema-mapped.js';
import { MethodReads } from './method-reads.js';
import { dotenvSafe } from './dotenv-safe.js';
import { ownHelperVars } from './own-env-helpers.js';
import { authLibrarySecrets, authLibrarySettings } from './auth-secrets.js';
import { entriesNotChosen } from './setting-maps.js';
import { NEXT_CONFIGS } from '../framework.js';
import { specFacts, type Val } from './modules.js';
import { finding, nodeEvidence, type ConfigEnvVar, type SourceRun } from './types.js';
import { BUILD_CONFIG, toolingFiles } from './tooling-files.js';

export const PUBLIC_PREFIXES = ['NEXT_PUBLIC_', 'VITE_', 'PUBLIC_', 'REACT_APP_', 'NUXT_PUBLIC_', 'NUXT_ENV_', 'GATSBY_', 'EXPO_PUBLIC_', 'VUE_APP_', 'STORYBOOK_'];

/** The OS's, the runtime's and the platform's own variables (proxies are the network's), never the operator's to give. */
const BUILTIN =
  /^(npm_|NODE_DEBUG$|NODE_OPTIONS$|NODE_EXTRA_CA_CERTS$|TZ$|HOME$|PWD$|PATH$|SHELL$|USER$|TERM$|CI$|MODE$|DEV$|PROD$|SSR$|VERCEL|NETLIFY|JEST_|VITEST|XDG_|TMPDIR$|TEMP$|TMP$|HTTPS?_PROXY$|https?_proxy$|NO_PROXY$|no_proxy$|ALL_PROXY$|all_proxy$)/;
// Windows' own variables, whose names are read in any case (`process.env.ProgramFiles`, `windir`).
const WINDOWS_VARS = /^(USERPROFILE|HOMEPATH|HOMEDRIVE|APPDATA|LOCALAPPDATA|PROGRAMFILES|PROGRAMFILES\(X86\)|PROGRAMDATA|SYSTEMROOT|SYSTEMDRIVE|WINDIR|COMSPEC|PATHEXT)$/i;
/** Set by the system, a package manager or a platform: no input of the service's. */
const isBuiltin = (name: string) => BUILTIN.test(name) || WINDOWS_VARS.test(name);
const IMPORT_META_BUILTIN = new Set(['MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL']);

const PROVIDERS =
  /^(STRIPE|OPENAI|ANTHROPIC|AWS|AZURE|GCP|GOOGLE|GITHUB|GITLAB|SENDGRID|TWILIO|RESEND|CLERK|SUPABASE|FIREBASE|SLACK|DISCORD|MAILGUN|MAILCHIMP|POSTMARK|CLOUDINARY|ALGOLIA|PUSHER|S3|R2|AUTH0|OKTA|PAYPAL|SHOPIFY|HUBSPOT|NOTION|LINEAR|SEGMENT|MIXPANEL|AMPLITUDE|POSTHOG|CLOUDFLARE|VERCEL|PLAID|BRAINTREE|LEMONSQUEEZY|LEMON_SQUEEZY|PADDLE|SPOTIFY|TWITTER|FACEBOOK|META|APPLE|MICROSOFT|HUGGINGFACE|HF|REPLICATE|COHERE|MISTRAL|GROQ|PINECONE|UPSTASH|OPENROUTER|DEEPSEEK|GEMINI|TELEGRAM|MAPBOX|SES|SNS|SQS|MINIO|BLOB|UPLOADTHING|KINDE|WORKOS|LOGTO|NEON|PLANETSCALE|TURSO)_/;

/** The checklist's env classes, decided from the name. */
// Every read of a name asks again (a large service reads a few names thousands of times): each answer once.
const classes = new Map<string, EnvClass>();

export function classifyEnv(name: string): EnvClass {
  let c = classes.get(name);
  if (c === undefined) {
    // Bounded: a long-running server meets many repositories' names.
    if (classes.size >= 10_000) classes.clear();
    c = classifyName(name);
    classes.set(name, c);
  }
  return c;
}

function classifyName(name: string): EnvClass {
  const n = name.replace(/^(NEXT_PUBLIC_|VITE_|PUBLIC_|REACT_APP_|NUXT_PUBLIC_|NUXT_)/, '');
  if (/^(PORT|HTTP_PORT|SERVER_PORT|APP_PORT|LISTEN_PORT|HOST|HOSTNAME|BIND|BIND_ADDRESS|LISTEN_ADDRESS|NITRO_PORT|NITRO_HOST)$/.test(n)) return 'runtime-port';
  if (/^(NODE_ENV|APP_ENV|ENV|ENVIRONMENT|RUNTIME_ENV|DEPLOY_ENV|STAGE)$/.test(n)) return 'runtime-mode';
  // Switches about the database (CAN_DROP_DATABASE, SKIP_DB_SEED) are settings, not the connection.
  if (/^(CAN|ALLOW|ENABLE|DISABLE|SKIP|RUN|SHOULD|USE|SEED|RESET|AUTO)_/.test(n) && !/_(URL|URI|HOST|PASSWORD)$/.test(n)) return 'other';
  if (
    /(^|_)(DATABASE|DB|POSTGRES|POSTGRESQL|PG|MYSQL|MARIADB|MONGO|MONGODB|REDIS|SQLITE|LIBSQL|KV|SUPABASE_DB|ELASTICSEARCH|AMQP|RABBITMQ|KAFKA)(_|$)/.test(n) ||
    /^PG[A-Z]+$/.test(n) ||
    /^(DIRECT_URL|SHADOW_DATABASE_URL|PRISMA_.*URL)$/.test(n)
  )
    return 'database';
  // A provider's webhook URL (SLACK_WEBHOOK_URL) carries a token: it is a key, not our public URL.
  if (PROVIDERS.test(n) && /WEBHOOK/.test(n)) return 'third-party-key';
  const monitoring = /^(SENTRY|OTEL|NEW_RELIC|DD|DATADOG|LOGTAIL|AXIOM|HONEYCOMB|BETTERSTACK)_/.test(n);
  // A monitoring vendor's token is a key; its DSN, level and service names are logging settings.
  if (monitoring && /(TOKEN|SECRET|PASSWORD|API_KEY|LICENSE_KEY|_KEY$)/.test(n)) return 'third-party-key';
  if (/^(LOG|LOGGING)(_|$)|_LOG_LEVEL$|^DEBUG$/.test(n) || monitoring) return 'logging';
  // A bare BASE_URL is the service's own address as often as an API's it calls (NextChat's OpenAI proxy): never set for it.
  if (name === 'BASE_URL') return 'other';
  if (
    /^(BASE|APP|PUBLIC|SITE|SERVER|FRONTEND|CLIENT|WEB|WEBAPP|WEBSITE|EXTERNAL|CANONICAL|ROOT|HOST|DASHBOARD|ADMIN)_?(URL|URI|ORIGIN|DOMAIN)$/.test(n) ||
    // A short product prefix before the app's own address (hedgedoc's HD_BASE_URL).
    (/^[A-Z]{2,3}_(BASE|APP|SITE)_URL$/.test(n) && !/^(API|CDN|UI|S3|DB|SSO|IDP|AI|LLM|MCP|GIT|CMS|RPC|WS)_/.test(n)) ||
    /^(URL|(APP_)?HOMEPAGE_URL|NEXTAUTH_URL|AUTH_URL|BETTER_AUTH_URL|ORIGIN|DOMAIN|PUBLIC_DOMAIN|ALLOWED_ORIGINS?|CORS_ORIGINS?|TRUSTED_ORIGINS?|ALLOWED_HOSTS?)$/.test(n) ||
    /(CALLBACK|REDIRECT|RETURN)_(URL|URI)S?$|WEBHOOK_URL$|_ORIGINS?$|_ALLOWED_HOSTS?$/.test(n)
  )
    return 'public-url';
  if (/(_API_KEY|_APIKEY|_CLIENT_ID|_CLIENT_SECRET|_ACCESS_KEY_ID|_SECRET_ACCESS_KEY|_ACCESS_KEY|_APP_ID|_WEBHOOK_SECRET|_DSN)$/.test(n)) return 'third-party-key';
  if (PROVIDERS.test(n)) return /(SECRET|KEY|TOKEN|PASSWORD|PASS$|DSN|_ID$|SID|AUTH)/.test(n) ? 'third-party-key' : 'other';
  // Lifetimes and algorithms of tokens are settings, not secrets (JWT_ACCESS_EXPIRATION_MINUTES).
  if (SECRET_SETTING.test(n) || /_(ISSUER|AUDIENCE|COOKIE_NAME|HEADER)$/.test(n)) return 'other';
  if (/(SECRET|PASSWORD|PASSWD|PASS$|PRIVATE_KEY|TOKEN|SALT|SIGNING|ENCRYPTION|_KEYS?$|^KEY$|^JWT$|JWT_KEY|COOKIE_KEY|SESSION_KEY|CREDENTIALS|PEPPER|HMAC)/.test(n)) return 'server-secret';
  return 'other';
}

export function isPublicEnv(name: string): boolean {
  return PUBLIC_PREFIXES.some((p) => name.startsWith(p));
}

export function isSecretClass(c: EnvClass): boolean {
  return c === 'server-secret' || c === 'third-party-key';
}

/** A value fit to record as a default: never for secret classes or secret-looking text, never credentials in URLs. */
export function safeDefault(name: string, value: string | null): string | null {
  if (value === null) return null;
  const c = classifyEnv(name);
  if (isSecretClass(c) || looksSecret(value)) return null;
  if (c === 'database' && /:\/\/[^/]*@/.test(value)) return null;
  return value.slice(0, 200);
}

/** An address on the developer's own machine: `http://localhost:7890`, `127.0.0.1:3000`, `host.docker.internal` (0.0.0.0, all interfaces, is right in a pod). */
export function devAddress(value: string | null): boolean {
  return value !== null && /^(?:[a-z][a-z0-9+.-]*:\/\/(?:[^/@\s]*@)?)?(?:localhost|127(?:\.\d+){3}|\[::1\]|host\.docker\.internal)(?:[:/]|$)/i.test(value.trim());
}

/** Placeholder text in example files (`changeme`, `<your key>`, `xxx`) is not a default. */
export function isPlaceholder(value: string): boolean {
  return /^(<.*>|\[.*\]|\{.*\}|x{3,}|\.{3}|\*+|changeme|change[-_]me|replace[-_]?me|to[-_]?be[-_]?modified\d*(,\s*to[-_]?be[-_]?modified\d*)*|your[-_ ].*|todo|tbd|secret|password|example|placeholder|null|undefined)$/i.test(value.trim()) || /your[-_]|<[^>]+>|change[-_]?me/i.test(value);
}

export interface ExampleVar {
  name: string;
  value: string;
  line: number;
  /** The file says so: `# Optional` on the line or the nearest comment above it in its block (chatbot-ui's provider keys). */
  optional?: boolean;
}

export function parseEnvFile(text: string): ExampleVar[] {
  const out: ExampleVar[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(lines[i] ?? '');
    if (!m) continue;
    let v = (m[2] ?? '').trim();
    const q = /^(['"])(.*)\1/.exec(v);
    if (q) v = q[2] ?? '';
    else v = v.replace(/\s+#.*$/, '');
    // The nearest comment above in the same block (no blank line between), or one on the line itself.
    let note = /\s#(.*)$/.exec(lines[i] ?? '')?.[1] ?? null;
    for (let j = i - 1; note === null && j >= 0 && (lines[j] ?? '').trim() !== ''; j--) if (/^\s*#/.test(lines[j]!)) note = lines[j]!;
    out.push({ name: m[1]!, value: v, line: i + 1, ...(note !== null && /\boptional\b/i.test(note) ? { optional: true } : {}) });
  }
  return out;
}

interface Acc {
  name: string;
  def: string | null;
  sources: Set<'code' | 'env-example' | 'config'>;
  evidence: Evidence[];
  exampleValue: string | null;
  /** A declaration gives a default that is not a plain value. */
  optional?: boolean;
  /** Read inside code that runs only when other variables are set (scan.ts `gated`), and read with no fallback elsewhere. */
  gated?: boolean;
  needed?: boolean;
  refusing?: boolean;
  sourceFallback?: boolean;
  /**
   * Something signs or verifies with it as it is, unset or not (lunary's `.sign(new TextEncoder().encode(process.env
   * .JWT_SECRET))`): a fallback another read has (`JWT_SECRET || ""` in a hash elsewhere) does not make it optional.
   */
  signsWith?: boolean;
  /** The value the deployment sets (a library's setting: authLibrarySettings). */
  setTo?: string;
  /** A Prisma schema reads it (`url = env("DATABASE_URL")`): the CLI sees no default the service's code gives. */
  schemaReads?: boolean;
  /** The user's optional_env or the code's own assignment: nothing to ask for. */
  unasked?: boolean;
  /** Read by the service's own code, not only by release or maintenance scripts (`scripts/`, `extra/release/`). */
  served?: boolean;
  /** A build config reads it: the image build runs with it. */
  build?: boolean;
  /** A schema the service validates its environment with at start requires it. */
  validated?: boolean;
  /** dotenv-safe refuses to start unless it is set (the example file lists it). */
  mustBePresent?: boolean;
}

/** Sentry's source-map upload settings: the build's (withSentryConfig in next.config, the Vite plugin), never the running SDK's. */
const SOURCE_MAP_UPLOAD = /^(NEXT_PUBLIC_)?SENTRY_(ORG|PROJECT|AUTH_TOKEN)$/;

/** Keys of t3-env `createEnv({ server, client })` and of envalid/zod/joi schemas applied to process.env. */
function schemaVars(run: SourceRun, add: (name: string, ev: Evidence, def: string | null, source: 'code' | 'config', optional: boolean) => void): void {
  const literal = (v: Val | null) => (v && (v.k === 'num' || v.k === 'str' || v.k === 'bool') ? String(v.v) : null);
  /** The variables a schema object declares (`{ PORT: z.coerce.number().default(3000) }`), as their validators say. */
  const declare = (obj: Node | null, s: FileScan, at: Node, rule: string) => {
    for (const k of objectKeys(obj)) {
      if (!/^[A-Z][A-Z0-9_]*$/.test(k)) continue;
      const spec = specFacts(objectProp(obj, k), run.ev, s);
      add(k, nodeEvidence(s, at.start, rule), literal(spec.def), 'code', spec.optional);
    }
  };
  for (const s of run.astScans) {
    for (const c of callsNamed(s, 'createEnv')) for (const part of ['server', 'client', 'shared']) declare(objectProp(args(c)[0] ?? null, part), s, c, 'create-env-key');
    for (const c of s.envArgCalls) for (const k of run.ev.schemaEnvKeys(c, s)) add(k.name, nodeEvidence(s, c.start, 'env-schema-key'), literal(k.def), 'code', k.optional);
    // Nest: `ConfigModule.forRoot({ validationSchema: Joi.object({ ... }) })` validates process.env at start.
    for (const c of callsNamed(s, 'forRoot')) {
      const path = memberPath(unwrap(child(c, 'callee')));
      if (path && path[path.length - 2] === 'ConfigModule') declare(run.ev.schemaObjectOf(objectProp(args(c)[0] ?? null, 'validationSchema'), s), s, c, 'nest-config-schema-key');
    }
  }
  for (const v of [...classValidatorVars(run), ...adonisEnvVars(run), ...schemaMappedVars(run), ...jsonSchemaEnvVars(run)]) add(v.name, v.evidence, v.def, 'code', v.optional);
}

/**
 * Keys of the `env` object of next.config (`env: { cloudUrl, basePath: '/x' }`): Next replaces `process.env.<key>`
 * with the value at build time, so the running server never reads them. The config file itself is marked
 * (`file:<path>`): what it reads from the environment is read, at build time.
 */
function nextEnvKeys(run: SourceRun): Set<string> {
  const out = new Set<string>();
  if (run.hints.framework !== 'nextjs') return out;
  for (const name of NEXT_CONFIGS) {
    const file = run.ctx.unitPath(name);
    if (!run.index.has(file)) continue;
    const scan = run.index.scan(file);
    const def = scan?.exports.get('default');
    if (!scan || !def) continue;
    let v = def.node ? run.ev.eval(def.node, scan) : def.local ? run.ev.evalIdent(scan, def.local, Number.MAX_SAFE_INTEGER, 0) : null;
    // `export default withPlugin(config)`, `module.exports = withBundleAnalyzer(nextConfig)`: the config is the argument;
    // next-compose-plugins takes it second, or among the plugins (ohmyform's `withPlugins([optimizedImages({}), { env }])`).
    if (v?.k !== 'obj' && def.node && unwrap(def.node)?.type === 'CallExpression') {
      const candidates = args(unwrap(def.node)!).flatMap((a) => (unwrap(a)?.type === 'ArrayExpression' ? children(unwrap(a)!, 'elements') : [a]));
      const objs = candidates.map((a) => run.ev.eval(a, scan)).filter((x) => x.k === 'obj');
      v = objs.find((x) => x.k === 'obj' && objectProp(x.node, 'env')) ?? objs[0] ?? null;
    }
    if (v?.k !== 'obj') continue;
    const env = unwrap(objectProp(v.node, 'env'));
    const envObj = env?.type === 'ObjectExpression' ? env : env ? ((x) => (x.k === 'obj' ? x.node : null))(run.ev.eval(env, v.mod)) : null;
    for (const k of objectKeys(envObj)) out.add(k);
    out.add(`file:${file}`);
  }
  return out;
}

/** Config files of CLIs (knex, drizzle-kit, TypeORM, Sequelize, bundlers): they run in the tool's process, not the server's. */
const TOOL_CONFIG = /(^|\/)(knexfile|ormconfig|\.sequelizerc|[\w-]+\.config)(\.[\w-]+)?\.[cm]?[jt]s$/;

const SETTING_CLASSES = new Set<EnvClass>(['other', 'public-url', 'logging']);

/**
 * A Redis setting other than where the server is (REDIS_URL, REDIS_HOST, REDIS_PORT): REDIS_PASSWORD, REDIS_USERNAME,
 * REDIS_SENTINEL_HOST, REDIS_DB. Redis runs without auth, sentinels or a database number, so beside defaulted
 * settings these are options like any other
 * (automatisch's `{ redisHost: REDIS_HOST || '127.0.0.1', redisPassword: REDIS_PASSWORD, … }`).
 */
function redisOption(name: string): boolean {
  return /^REDIS_/.test(name) && !/^REDIS_(URL|URI|HOST|PORT|TLS_URL|CONNECTION_STRING)$/.test(name);
}

/** A connection's TLS files and switches (mongo-express's ME_CONFIG_MONGODB_TLS_CA_FILE): options, like Redis's. */
function connectionOption(name: string): boolean {
  return redisOption(name) || (classifyEnv(name) === 'database' && /(^|_)(TLS|SSL|CA|CERT|CERTS|CRL)(_|$)/.test(name) && !/(URL|URI)$/.test(name));
}

/**
 * A feature's on/off switch (PairDrop's DONATION_BUTTON_ACTIVE, FEATURE_ENABLED, ENABLE_X): unset is off, so never
 * needed; the settings read beside it belong to that feature.
 */
export function isSwitch(name: string): boolean {
  return /(_ACTIVE|_ENABLED?|_DISABLED?)$|^(ENABLE|DISABLE)_/.test(name) && classifyEnv(name) === 'other';
}

/**
 * Settings read side by side in one object literal:
 *
 *   const defaultEmail = { host: process.env.EMAIL_HOST, port: toInt(process.env.EMAIL_PORT, 587), pass: process.env.EMAIL_PASSWORD };
 *
 * When the author gives some of them a default (or tests them), the plain settings beside them are left unset on
 * purpose (no mail host, no CDN prefix): the service runs without them. So does a credential beside such a setting:
 * it belongs to the same optional feature. A credential among defaulted settings only (`{ secret: JWT_SECRET,
 * expiresIn: JWT_TTL || '7d' }`) and database settings other than Redis options stay as they are.
 */
function settingsLeftUnset(scans: readonly FileScan[]): Set<EnvRead> {
  const groups = new Map<string, EnvRead[]>();
  for (const s of scans)
    for (const r of s.envReads) {
      if (r.group === undefined) continue;
      const key = `${s.file}#${r.group}`;
      const g = groups.get(key);
      if (g) g.push(r);
      else groups.set(key, [r]);
    }
  const out = new Set<EnvRead>();
  for (const reads of groups.values()) {
    if (!reads.some((r) => r.def !== null || r.optional || isSwitch(r.name))) continue;
    // Handed to a function (`shout(process.env.TITLE)`, a validator) the value is used, not left unset: not plain.
    const plain = reads.filter((r) => r.def === null && !r.optional && !r.argOf && !r.refused);
    const settings = plain.filter((r) => SETTING_CLASSES.has(classifyEnv(r.name)) || connectionOption(r.name));
    if (settings.length === 0) continue;
    for (const r of settings) out.add(r);
    for (const r of plain) if (isSecretClass(classifyEnv(r.name))) out.add(r);
  }
  return out;
}

/**
 * Modules the service loads only in branches that do not run as deployed (chartbrew: `NODE_ENV === 'production' ?
 * require('../settings') : require('../settings-dev')`, and nothing else imports settings-dev.js): what they read
 * the service runs without.
 */
function loadedOnlyOffDefault(run: SourceRun): Set<string> {
  const off = new Set<string>();
  for (const s of run.scans)
    for (const spec of s.offImports ?? []) {
      const target = run.index.resolve(s.file, spec);
      if (target && target !== run.entry) off.add(target);
    }
  if (off.size === 0) return off;
  // Loaded as deployed anywhere else (a plain import or require, also in a file the token tier found nothing in): it
  // runs. Rare, so every source file naming one in a specifier is read for it.
  const stems = [...new Set([...off].map((f) => f.slice(f.lastIndexOf('/') + 1).replace(/\.[cm]?[jt]sx?$/, '')))];
  const named = new RegExp(`['"\`]([^'"\`\\s]*/(?:${stems.map(escapeRegExp).join('|')})(?:\\.[cm]?[jt]sx?)?)['"\`]`, 'g');
  const offBy = new Map(run.scans.map((s) => [s.file, s.offImports ?? []]));
  for (const file of run.index.files) {
    const own = new Set(offBy.get(file) ?? []);
    for (const m of (run.ctx.repo.read(file) ?? '').matchAll(named)) {
      if (own.has(m[1]!)) continue;
      const target = run.index.resolve(file, m[1]!);
      if (target) off.delete(target);
    }
  }
  return off;
}

/**
 * The product's own address by its package name: unleash-server reads UNLEASH_URL for the links in its emails and
 * invites (`<NAME>_URL`, `<NAME>_BASE_URL`, `<NAME>_PUBLIC_URL`).
 */
function productAddresses(pkgName: unknown): Set<string> {
  if (typeof pkgName !== 'string') return new Set();
  const stem = pkgName.replace(/^@[^/]+\//, '').replace(/[-_](server|backend|api|app|web|service)$/i, '').toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return stem.length >= 3 ? new Set(['URL', 'BASE_URL', 'PUBLIC_URL', 'EXTERNAL_URL'].map((s) => `${stem}_${s}`)) : new Set();
}

/**
 * A host or address setting whose code default is this service on the developer's machine (kutt's `DEFAULT_DOMAIN`
 * defaulting to `localhost:3000`, the port it listens on): the service's own public address, which its short links and
 * mails carry.
 */
function selfAddress(name: string, def: string | null, appPort: number | null): boolean {
  if (appPort === null || def === null || !/(DOMAIN|HOST|URL|ORIGIN|ADDRESS)$/.test(name) || classifyEnv(name) !== 'other') return false;
  const m = /^(?:https?:\/\/)?(?:localhost|127\.0\.0\.1):(\d+)\/?$/.exec(def.trim());
  return m !== null && Number(m[1]) === appPort;
}

/** Every env var the unit reads, classified, with defaults and where each is read. */
export function detectEnvVars(run: SourceRun, example: { file: string; vars: ExampleVar[] } | null, configVars: readonly ConfigEnvVar[], appPort: number | null = null): EnvVar[] {
  const ownAddress = productAddresses(run.ctx.pkg?.name);
  const acc = new Map<string, Acc>();
  const get = (name: string) => {
    let a = acc.get(name);
    if (!a) acc.set(name, (a = { name, def: null, sources: new Set(), evidence: [], exampleValue: null }));
    return a;
  };
  const add = (name: string, ev: Evidence, def: string | null, source: 'code' | 'config' | 'env-example') => {
    if (isBuiltin(name)) return;
    const a = get(name);
    a.sources.add(source);
    if (source !== 'env-example' && !tooling(ev.file)) a.served = true;
    if (a.evidence.length < 5) a.evidence.push(ev);
    if (def !== null && a.def === null) a.def = def;
  };
  const buildConstants = nextEnvKeys(run);
  const unitPrefix = run.ctx.unit ? run.ctx.unit + '/' : '';
  const toolingFile = toolingFiles(run);
  const tooling = (file: string) => toolingFile(file) || (file.startsWith(unitPrefix) && BUILD_CONFIG.test(file.slice(unitPrefix.length)));
  const leftUnset = settingsLeftUnset(run.scans);
  // Entries of a map a setting picks from that the setting left unset does not pick (Strapi's `connections[client]`).
  const notChosen = entriesNotChosen(run);
  const notLoaded = loadedOnlyOffDefault(run);
  const unchosen = (file: string, at: number) => notChosen.get(file)?.some((n) => covers(n, at)) || notLoaded.has(file);
  // Where the code reads each variable, for keys read only inside integration methods (method-reads.ts).
  const readsOf = new Map<string, Array<{ file: string; start: number }>>();
  for (const s of run.scans)
    for (const r of s.envReads) {
      if (r.via === 'import.meta.env' && IMPORT_META_BUILTIN.has(r.name)) continue;
      if (isBuiltin(r.name)) continue;
      const at = readsOf.get(r.name);
      if (at) at.push({ file: s.file, start: r.node.start });
      else readsOf.set(r.name, [{ file: s.file, start: r.node.start }]);
      // `process.env.cloudUrl` where next.config's `env: { cloudUrl }` defines it: a constant inlined by `next build`.
      if (buildConstants.has(r.name) && r.via === 'process.env' && !buildConstants.has(`file:${s.file}`)) continue;
      if (r.optional || leftUnset.has(r) || unchosen(s.file, r.node.start) || isSwitch(r.name)) get(r.name).optional = true;
      // Read only where other variables are set: optional unless another read needs it as it is.
      else if (r.gated) get(r.name).gated = true;
      else if (r.def === null) get(r.name).needed = true;
      if (r.refusing) get(r.name).refusing = true;
      // Used with text of the source's own when unset (not merely tested for): see knownFallback below.
      if (r.signing && !r.optional && !r.gated && classifyEnv(r.name) === 'server-secret' && !isPublicEnv(r.name)) get(r.name)[r.def ? 'sourceFallback' : 'signsWith'] = true;
      if (!tooling(s.file)) get(r.name).served = true;
      else if (BUILD_CONFIG.test(s.file)) get(r.name).build = true;
      // Evidence is kept for the first five reads only: build it only when it will be kept.
      const a = acc.get(r.name);
      if (a && a.evidence.length >= 5 && (a.def !== null || r.def === null) && a.sources.has('code')) continue;
      const secret = isSecretClass(classifyEnv(r.name));
      add(r.name, nodeEvidence(s, r.node.start, r.via === 'helper' ? 'env-helper' : r.via === 'destructure' ? 'env-destructure' : r.via, secret), r.def, 'code');
    }
  for (const a of acc.values()) {
    if (a.gated && !a.needed) a.optional = true;
    // `if (!process.env.REDIS_URL) throw` where the client is made (kener): a presence test elsewhere (a setup
    // screen's `REDIS_URL !== undefined`) does not let the service run without its store. Only a store's setting: a
    // provider's key refused in its client's constructor (anything-llm's 30 LLM providers) is one the operator chooses.
    if (a.refusing && classifyEnv(a.name) === 'database') a.optional = false;
  }
  // A schema the service validates its environment with at start (envalid, zod, t3, Nest) refuses to start without a
  // variable it requires, whatever other code tests: its word wins over presence tests elsewhere.
  const schemaRequired = new Set<string>();
  const schemaDeclared = new Set<string>();
  schemaVars(run, (n, ev, d, src, optional) => {
    schemaDeclared.add(n);
    add(n, ev, d, src);
    // A server secret the schema gives a default of the source's own (reaction's `TOKEN_SECRET: str({ default:
    // "UPDATE_THIS_SECRET" })`): unset, the deployment signs with text anyone can read (known_fallback).
    // A number or a switch is a setting whatever its name says (hedgedoc's HD_AUTH_LOCAL_MINIMAL_PASSWORD_STRENGTH: 2).
    if (d && !/^(-?\d+(\.\d+)?|true|false)$/.test(d) && classifyEnv(n) === 'server-secret' && !isPublicEnv(n)) get(n).sourceFallback = true;
    if (optional && acc.has(n)) get(n).optional = true;
    else if (!optional && d === null) schemaRequired.add(n);
  });
  // Read through the service's own helper (`getOsEnv('APP_NAME')`): one that throws when it is unset requires it.
  for (const v of ownHelperVars(run)) {
    add(v.name, v.evidence, v.def, 'code');
    if (v.optional) get(v.name).optional = true;
    else if (v.def === null) schemaRequired.add(v.name);
  }
  // An auth library that reads its secret itself refuses to start in production without it.
  for (const v of authLibrarySecrets(run)) {
    add(v.name, v.evidence, null, 'code');
    schemaRequired.add(v.name);
  }
  // And settings it needs set to a known value in a pod (Auth.js 5's AUTH_TRUST_HOST), unless the code sets them.
  for (const v of authLibrarySettings(run)) {
    if (acc.has(v.name)) continue;
    add(v.name, v.evidence, null, 'code');
    get(v.name).setTo = v.value;
  }
  // A variable the code sets itself (`process.env.TZ = 'UTC'`, a primary handing its workers a port) is not one the operator must give.
  // Not in a tool's config file, though: knexfile.js filling in JWT_SECRET for the migration CLI gives the server nothing.
  const writers = run.scans.filter((s) => !TOOL_CONFIG.test(s.file));
  for (const s of writers) for (const name of s.envWrites) if (acc.has(name)) Object.assign(get(name), { optional: true, unasked: true });
  for (const name of schemaRequired)
    if (acc.has(name) && !writers.some((s) => s.envWrites.has(name))) {
      get(name).optional = false;
      // The fallback in code never runs: validation stops the service first (`SECRET_KEY = env.SECRET_KEY ?? ''`).
      get(name).validated = true;
    }
  for (const c of configVars) {
    add(c.name, evidence(c.file, c.line, c.rule ?? 'config-env', `env("${c.name}")`), c.def ?? null, c.source ?? 'config');
    if (c.optional && !isBuiltin(c.name)) get(c.name).optional = true;
    if (c.file.endsWith('.prisma') && acc.has(c.name)) get(c.name).schemaReads = true;
  }
  const safe = dotenvSafe(run, example?.file ?? null);
  if (example)
    for (const v of example.vars) {
      if (isBuiltin(v.name)) continue;
      const a = get(v.name);
      a.sources.add('env-example');
      if (a.evidence.length < 5) a.evidence.push(evidence(example.file, v.line, 'env-example', `${v.name}=`));
      if (v.value && !isPlaceholder(v.value)) a.exampleValue = v.value;
      if (v.optional) a.optional = true;
      if (safe) {
        a.mustBePresent = true;
        if (a.evidence.length < 5) a.evidence.push(safe.evidence);
      }
    }
  // The user's word wins: `optional_env` in .sealos/config.json names variables the service runs without.
  const config = run.ctx.config;
  for (const name of config?.optional_env ?? []) {
    const a = acc.get(name);
    if (!a) continue;
    a.optional = true;
    a.unasked = true;
    a.sources.add('config');
    if (a.evidence.length < 5) a.evidence.push(evidence(config!.path, 1, 'config-optional-env', `"optional_env": [..."${name}"...]`));
  }
  // A workspace root's example file lists the variables of every app in the repository: one that this unit's
  // code (and the packages it runs) never reads belongs to another unit, so it is listed but not required.
  // So does the root's own when the root holds workspace units: the variables of apps the root's code never reads.
  // Not when the unit is the root's only package (bluesky's PDS: sample.env at the root, the service in service/).
  const sharedExample = !!example && (run.ctx.unit ? !example.file.startsWith(run.ctx.unit + '/') && (run.hints.siblingUnits ?? 2) > 1 : run.hints.nestedUnits.length > 0);
  // Parts the example composes another value from (`DATABASE_URL=postgresql://${POSTGRES_USER}:…@${DB_HOST}/…`):
  // the service reads the composite; the parts only build it (in .env, or for docker compose).
  const parts = new Set<string>();
  for (const v of example?.vars ?? []) for (const m of v.value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-[^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g)) if ((m[1] ?? m[2]) !== v.name) parts.add((m[1] ?? m[2])!);
  const out: EnvVar[] = [];
  const methods = new MethodReads(run.index);
  for (const a of acc.values()) {
    const cls = ownAddress.has(a.name) || selfAddress(a.name, a.def, appPort) ? 'public-url' : classifyEnv(a.name);
    const codeDefault = a.validated ? null : safeDefault(a.name, a.def);
    // An example's address on the developer's machine (NextChat's PROXY_URL=http://localhost:7890) is nothing in a pod.
    // Nor a host by a bare name (nestjs-boilerplate's MAIL_HOST=maildev): a Compose service, nothing in a pod resolves it.
    const composeHost = /_HOST$/.test(a.name) && /^[a-z][a-z0-9-]*$/i.test(a.exampleValue ?? '');
    const exampleDefault = isSecretClass(cls) || cls === 'database' || devAddress(a.exampleValue) || composeHost ? null : safeDefault(a.name, a.exampleValue);
    const exampleOnly = a.sources.size === 1 && a.sources.has('env-example');
    // Read only by release or maintenance scripts (`extra/release/upload.mjs` reads RELEASE_GITHUB_TOKEN): listed, not asked for.
    // Sentry's source-map upload settings are the build's (withSentryConfig in next.config, the Vite plugin): the running SDK
    // needs only its DSN (rallly's SENTRY_ORG and SENTRY_PROJECT were asked for at deploy time).
    const toolingOnly = (a.sources.has('code') && !a.served && !a.sources.has('config')) || SOURCE_MAP_UPLOAD.test(a.name);
    const notThisService = (exampleOnly && (sharedExample || parts.has(a.name))) || toolingOnly;
    // A provider's key the code reads only inside methods called later (`generateAuthUrl()` of a Discord integration):
    // that integration fails when used without it; the service starts and serves everything else. So does any setting
    // read only that way when the service validates its environment at start with a schema that leaves it out (docmost's
    // `getAwsS3Bucket()` getters beside an EnvironmentVariables class): the schema says what starting needs.
    const reads = readsOf.get(a.name) ?? [];
    const laterOnly = (cls === 'third-party-key' || (schemaDeclared.size >= 3 && !schemaDeclared.has(a.name))) && !a.validated;
    const hasDefault =
      (a.def !== null && !a.validated) ||
      exampleDefault !== null ||
      a.optional === true ||
      notThisService ||
      (laterOnly && reads.length > 0 && reads.every((r) => methods.inLaterMethod(r.file, r.start)));
    // The platform always sets the port and mode; they never block a deploy.
    const platformSet = a.name === 'PORT' || cls === 'runtime-mode';
    let required = !hasDefault && cls !== 'runtime-port' && cls !== 'runtime-mode';
    // A server secret that falls back to text in the source (`process.env.KENER_SECRET_KEY || DUMMY_SECRET`, 'keyboard
    // cat'): unset, every deployment signs with a key anyone can read. The deploy asks for it.
    const knownFallback = cls === 'server-secret' && !!a.sourceFallback && !a.validated && !a.unasked && !notThisService;
    if (knownFallback || (a.signsWith && !a.optional && !a.validated && !a.unasked && !notThisService)) required = true;
    let value = codeDefault ?? exampleDefault;
    // Validated at start with only the example's value to go on: the deployment sets that value.
    let mustSet = !!a.validated && exampleDefault !== null && cls !== 'runtime-mode';
    if (a.mustBePresent && !platformSet) {
      // dotenv-safe wants the key set whatever the code does with it: the default the code would take, or, for a
      // setting the service runs without (MONGO_URI_TESTS), the example's own value or an empty one when empty values
      // pass. Never a credential: an empty secret starts the service and breaks it later; the operator decides.
      const unused = hasDefault && value === null && !isSecretClass(cls);
      const fill = value ?? (unused ? (safeDefault(a.name, a.exampleValue) ?? (safe?.allowEmpty ? '' : null)) : null);
      if (fill !== null) {
        value = fill;
        mustSet = true;
        required = false;
      } else required = true;
    }
    if (a.setTo !== undefined) {
      value = a.setTo;
      mustSet = true;
      required = false;
    }
    // The service falls back to a value of its own (pingvin-share's `file:../data/pingvin-share.db`), but the migrate
    // step's Prisma CLI reads the schema's env() and stops at "Environment variable not found": the deployment sets it.
    if (a.schemaReads && !required && codeDefault !== null && value === codeDefault) mustSet = true;
    out.push({
      name: a.name,
      class: cls,
      required,
      default: value,
      sources: (['code', 'config', 'env-example'] as const).filter((s) => a.sources.has(s)),
      public: isPublicEnv(a.name),
      ...(mustSet ? { must_set: true } : {}),
      ...(knownFallback && required ? { known_fallback: true } : {}),
      ...(a.build ? { read_by_build: true } : {}),
      evidence: a.evidence,
    });
  }
  return out.sort((x, y) => x.name.localeCompare(y.name));
}

/** Prefixes a framework's build inlines into the code it ships: set when the image is built, never at run time. */
const INLINED: Partial<Record<string, RegExp>> = { nextjs: /^NEXT_PUBLIC_/, vite: /^VITE_/, cra: /^REACT_APP_/, astro: /^PUBLIC_/, remix: /^VITE_/, 'react-router': /^VITE_/ };

/**
 * Public variables the build inlines (foodadvisor's NEXT_PUBLIC_API_URL, fetched by every page): the deployment's value
 * changes nothing, so one the code gives no default is undefined in the image unless a committed env file the build
 * reads (.env, .env.production) sets it.
 */
export function buildTimeEnvFindings(run: SourceRun, vars: EnvVar[]): Finding[] {
  const prefix = INLINED[run.hints.framework];
  if (!prefix) return [];
  const unit = run.ctx.unit ? run.ctx.unit + '/' : '';
  const envFiles = ['.env', '.env.production'].map((f) => unit + f).filter((f) => run.ctx.repo.files.includes(f));
  const set = new Set(envFiles.flatMap((f) => parseEnvFile(run.ctx.repo.read(f) ?? '').filter((v) => v.value !== '').map((v) => v.name)));
  // Addresses (an API's, the app's own) needed with no value, or falling back to the developer's machine (`||
  // 'http://localhost:1337'`), which is nowhere in a pod. Keys and switches without one turn a feature off.
  const address = (v: EnvVar) => v.class === 'public-url' || /_(URL|URI|HOST|ORIGIN|DOMAIN|ENDPOINT)$/.test(v.name);
  const constants = nextEnvKeys(run);
  const unset = vars.filter((v) => prefix.test(v.name) && v.sources.includes('code') && address(v) && ((v.required && v.default === null) || devAddress(v.default)) && !set.has(v.name) && !constants.has(v.name));
  if (unset.length === 0) return [];
  const names = unset.map((v) => v.name);
  return [
    finding(
      'build-time-env',
      'environment',
      'warn',
      `The build inlines ${names.join(', ')} into the code it ships, and the repository gives ${names.length === 1 ? 'it' : 'them'} no value a pod can use: set on the deployment ${names.length === 1 ? 'it changes' : 'they change'} nothing, so the image keeps undefined or a localhost address there.`,
      `Commit ${unit}.env.production with ${names.map((n) => `${n}=<value>`).join(', ')} (public values only), or give the code a default; then rebuild the image.`,
      unset.flatMap((v) => v.evidence.slice(0, 1)),
    ),
  ];
}

/**
 * Addresses the code falls back to on the developer's machine (pingvin-share's frontend:
 * `process.env.API_URL || "http://localhost:8080"`, its backend): in a pod nothing listens there, so the page fails
 * unless the deployment sets them. Not the service's own port (that is itself), not a store's (the template asks).
 */
export function localhostDefaultFindings(vars: EnvVar[], appPort: number | null, bindEnv: string | null): Finding[] {
  const elsewhere = vars.filter((v) => {
    // Telemetry exporters are optional, and the bind setting (mongo-express's VCAP_APP_HOST) is the template's.
    if (v.public || v.class === 'database' || v.class === 'runtime-port' || v.class === 'logging' || v.name === bindEnv || v.must_set || !v.sources.includes('code') || !devAddress(v.default)) return false;
    if (!/(URL|URI|HOST|ENDPOINT|ADDRESS|ORIGIN)S?$/.test(v.name)) return false;
    const port = /:(\d+)/.exec(v.default!.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''))?.[1];
    return !(port && Number(port) === appPort);
  });
  if (elsewhere.length === 0) return [];
  return [
    finding(
      'localhost-default',
      'environment',
      'warn',
      `${elsewhere.map((v) => `${v.name} (${v.default})`).join(', ')} default${elsewhere.length === 1 ? 's' : ''} to an address on the developer's machine: in a pod nothing else listens there, so whatever needs ${elsewhere.length === 1 ? 'it' : 'them'} fails until the deployment sets ${elsewhere.length === 1 ? 'it' : 'them'}.`,
      `Set ${elsewhere.map((v) => v.name).join(', ')} in .sealos/config.json env_overrides: another service's in-cluster address (http://<app>:<port>) or public URL, or this app's public URL where it means itself.`,
      elsewhere.flatMap((v) => v.evidence.slice(0, 1)),
    ),
  ];
}

export function envVarFindings(vars: EnvVar[], example: { file: string; vars: ExampleVar[] } | null): Finding[] {
  const findings: Finding[] = [];
  const known = vars.filter((v) => v.known_fallback);
  if (known.length)
    findings.push(
      finding(
        'secret-fallback',
        'security',
        'warn',
        `${known.map((v) => v.name).join(', ')} ${known.length === 1 ? 'falls' : 'fall'} back to a value written in the source when unset: a deployment without ${known.length === 1 ? 'it' : 'them'} signs sessions or tokens with a key anyone who reads the code knows. The deploy asks for ${known.length === 1 ? 'it' : 'them'}.`,
        `Give each a random value at deploy time (\`openssl rand -hex 32\`), and make the code refuse to start without it instead of falling back.`,
        known.flatMap((v) => v.evidence.slice(0, 1)),
      ),
    );
  const needed = vars.filter((v) => v.sources.includes('code') || v.sources.includes('config')).filter((v) => v.class !== 'runtime-port' && v.class !== 'runtime-mode');
  if (example) {
    const listed = new Set(example.vars.map((v) => v.name));
    const missing = needed.filter((v) => !listed.has(v.name) && v.required);
    if (missing.length === 0) findings.push(finding('env-example', 'environment', 'pass', `${example.file} lists the variables the code reads.`, null, [evidence(example.file, 1, 'env-example')]));
    else
      findings.push(
        finding(
          'env-example',
          'environment',
          'warn',
          `${example.file} does not list ${missing.length} variable(s) the code needs: ${missing.slice(0, 10).map((v) => v.name).join(', ')}${missing.length > 10 ? ', …' : ''}.`,
          `Add ${missing.slice(0, 10).map((v) => `${v.name}=`).join(', ')} to ${example.file} with placeholder values.`,
          missing.flatMap((v) => v.evidence.slice(0, 1)),
        ),
      );
  } else if (needed.length > 0) {
    findings.push(
      finding(
        'env-example',
        'environment',
        'warn',
        `The code reads ${needed.length} environment variable(s) but there is no .env.example listing them.`,
        `Create .env.example with ${needed.slice(0, 8).map((v) => `${v.name}=`).join(', ')}${needed.length > 8 ? ', …' : ''} (placeholders, no real values) and commit it.`,
        needed.flatMap((v) => v.evidence.slice(0, 1)),
      ),
    );
  }
  const urls = vars.filter((v) => v.class === 'public-url' && !v.sources.every((s) => s === 'env-example'));
  if (urls.length > 0)
    findings.push(
      finding(
        'public-url-env',
        'environment',
        'warn',
        `The service reads URL/origin settings that must point at the production domain: ${urls.map((v) => v.name).join(', ')}.`,
        `Set ${urls.map((v) => v.name).join(', ')} to the app's public Sealos URL (https://<app-domain>), and register that URL as OAuth callback/webhook/allowed origin where relevant.`,
        urls.flatMap((v) => v.evidence.slice(0, 1)),
      ),
    );
  return findings;
}
