import { z } from 'zod';

/**
 * `.sealos/analysis.json`: what the analyzer found, each fact with evidence.
 * Scripts depend on these keys (see README "Stable keys"): add fields freely, never rename or remove.
 */
export const ANALYSIS_SCHEMA_VERSION = 1;

export const EvidenceSchema = z.object({
  file: z.string(),
  line: z.number().int().min(1),
  rule: z.string(),
  snippet: z.string().optional(),
});

const evidenceList = z.array(EvidenceSchema);

export const PackageManagerName = z.enum(['npm', 'pnpm', 'yarn-classic', 'yarn-berry', 'bun']);
export type PackageManagerName = z.infer<typeof PackageManagerName>;

export const FrameworkName = z.enum([
  'express',
  'fastify',
  'koa',
  'hapi',
  'nestjs',
  'hono',
  'nextjs',
  'nuxt',
  'nitro',
  'remix',
  'react-router',
  'astro',
  'sveltekit',
  'adonisjs',
  'strapi',
  'medusa',
  'keystone',
  'sails',
  'vite',
  'cra',
  'webpack',
  'docusaurus',
  'angular',
  'gatsby',
  'node-http',
  'none',
]);
export type FrameworkName = z.infer<typeof FrameworkName>;

export const Kind = z.enum(['server', 'ssr', 'static', 'worker', 'not-deployable']);
export type Kind = z.infer<typeof Kind>;

export const EnvClass = z.enum([
  'runtime-port',
  'runtime-mode',
  'server-secret',
  'database',
  'third-party-key',
  'logging',
  'public-url',
  'other',
]);
export type EnvClass = z.infer<typeof EnvClass>;

export const FindingStatus = z.enum(['pass', 'warn', 'fail']);
export type FindingStatus = z.infer<typeof FindingStatus>;

/** Checklist sections from the spec, numbered as there. */
export const ChecklistSection = z.enum([
  'build-and-image', // 1
  'state', // 2
  'environment', // 3
  'database', // 4
  'health', // 5
  'scaling', // 6
  'monitoring', // 7
  'rollback', // 8
  'security', // 9
]);

export const FindingSchema = z.object({
  /** Stable id, e.g. `start-script`, `bind-all-interfaces`; one per checklist item. */
  id: z.string(),
  section: ChecklistSection,
  status: FindingStatus,
  message: z.string(),
  /** What to change; null when the status is pass. */
  fix: z.string().nullable(),
  evidence: evidenceList,
});
export type Finding = z.infer<typeof FindingSchema>;

export const PackageManagerSchema = z.object({
  name: PackageManagerName,
  /** Version from `packageManager` or the lockfile format, when known. */
  version: z.string().nullable(),
  /** Lockfile that decided, repo-relative; null when there is none. */
  lockfile: z.string().nullable(),
  /** Whether git tracks the lockfile; null outside a git checkout. */
  lockfile_committed: z.boolean().nullable(),
  /** Corepack is needed (`packageManager` names pnpm or yarn). */
  corepack: z.boolean(),
  evidence: evidenceList,
});

export const NodeVersionSourceSchema = z.object({
  source: z.enum(['config', 'engines', '.nvmrc', '.node-version', '.tool-versions', 'mise.toml', 'volta', 'dockerfile', 'default']),
  value: z.string(),
  file: z.string().nullable(),
  line: z.number().int().nullable(),
});

export const NodeSchema = z.object({
  /** Concrete major version used for the base image, e.g. "22". */
  version: z.string(),
  /** The raw requirement that decided it, e.g. ">=20 <23" or "lts/iron". */
  requested: z.string().nullable(),
  source: NodeVersionSourceSchema.shape.source,
  /** Every source found, in precedence order (first wins). */
  sources: z.array(NodeVersionSourceSchema),
  evidence: evidenceList,
});

export const FrameworkSchema = z.object({
  name: FrameworkName,
  version: z.string().nullable(),
  /** Framework-specific facts: `adapter` (sveltekit, astro), `output` (astro, next: `standalone` or `export`), `ssr` (react-router), `output_dir` (static builds). */
  details: z.record(z.string(), z.union([z.string(), z.boolean(), z.null()])),
  evidence: evidenceList,
});

export const CommandsSchema = z.object({
  install: z.string(),
  build: z.string().nullable(),
  start: z.string().nullable(),
  start_source: z.enum(['config', 'script', 'framework', 'main', 'file', 'static', 'nx']).nullable(),
  /** Problems with the start command: nodemon, `&`, concurrently, ts-node, a dev server... */
  start_issues: z.array(z.string()),
  /** The package.json script body `start` runs (`npm start` → `TZ=UTC node dist/server.js`), followed through `npm run x`. */
  start_script: z.string().nullable().optional(),
  /**
   * Repo-relative files the install's own lifecycle scripts read (`"postinstall": "prisma generate"` reads the
   * schema), which an image copies before installing; `.` when they may read any file of the project.
   */
  install_needs: z.array(z.string()).optional(),
  /**
   * Programs the install runs that the slim Node image lacks: `git` when a dependency is fetched from a git repository
   * (`github:owner/repo`, a lockfile's `git+ssh://` resolution). The image installs them where it installs.
   */
  install_programs: z.array(z.literal('git')).optional(),
  /** Scripts of the unit turbo runs before its build (`dependsOn: ["build:blog-data"]`): the image runs them first. */
  build_first: z.array(z.string()).optional(),
  /**
   * Modules the code loads that only a committed template of exists (`config.template.js` for `./config`), unit-relative:
   * the image copies each before the build (TypeScript compiles them) (finding config-from-template).
   */
  config_copies: z.array(z.object({ from: z.string(), to: z.string() })).optional(),
  /**
   * Values the image build sets for variables only the deployment has: stand-ins for Prisma 7's `env('DATABASE_URL')`
   * in prisma.config, which throws in every prisma command, `prisma generate` included (local addresses that open
   * nothing), and what makes t3-env's `skipValidation` true (`SKIP_ENV_VALIDATION=1`, langfuse's `DOCKER_BUILD=1`).
   */
  build_env: z.record(z.string(), z.string()).optional(),
  /**
   * What the start script does before the server that only lays out files (`prestart`: `test -f config.js || cp
   * config.template.js config.js`): the image runs the server itself, so its build runs these, from the unit.
   */
  prepare: z.string().optional(),
  /**
   * devDependencies the service needs at run time: what its start command runs TypeScript through (`ts-node
   * src/init.ts`: ts-node and typescript) and what its code imports (finding dev-dependency-imports). The image keeps
   * devDependencies, or the pruned image could not start.
   */
  runtime_dev: z.array(z.string()).optional(),
  evidence: evidenceList,
});

export const PortSchema = z.object({
  value: z.number().int().min(1).max(65535).nullable(),
  /** The service reads its port from the environment (e.g. `process.env.PORT`). */
  reads_env: z.boolean(),
  env_name: z.string().nullable(),
  /** The literal fallback used when the env var is absent, when there is one. */
  default: z.number().int().nullable(),
  source: z.enum(['config', 'code', 'script-flag', 'dockerfile', 'framework-default', 'static-server']).nullable(),
  evidence: evidenceList,
});

export const BindSchema = z.object({
  /** The host passed to listen(); null = not given (Node listens on all interfaces). */
  host: z.string().nullable(),
  /** True when the service can be reached from outside its container. */
  all_interfaces: z.boolean(),
  /** The variable the host comes from (`process.env.HOST || '127.0.0.1'`): the deployment sets it to 0.0.0.0. */
  env_name: z.string().nullable().optional(),
  evidence: evidenceList,
});

export const EnvVarSchema = z.object({
  name: z.string(),
  class: EnvClass,
  /** No default in code and no default in .env.example: the service needs a value. */
  required: z.boolean(),
  /** The code's fallback, when literal and not secret-looking. */
  default: z.string().nullable(),
  sources: z.array(z.enum(['code', 'env-example', 'config'])),
  /** Exposed to the browser bundle (NEXT_PUBLIC_, VITE_, ...): build-time, never a secret. */
  public: z.boolean(),
  /**
   * The service validates it at start and refuses to run unset, and `default` is the example file's value (LOG_LEVEL
   * in AdonisJS's Env.create): not an input, but the deployment and the rehearsal set it to that value.
   */
  must_set: z.boolean().optional(),
  /**
   * A server secret the code falls back to text in its own source for (`KENER_SECRET_KEY || DUMMY_SECRET`): unset, the
   * deployment signs with a key anyone can read, so it is required (finding `secret-fallback`).
   */
  known_fallback: z.boolean().optional(),
  /**
   * A build tool's config or script reads it (smee.io's webpack.config.js reads NODE_ENV): the image build runs with the
   * value it will run with.
   */
  read_by_build: z.boolean().optional(),
  evidence: evidenceList,
});

export const EnvFilesSchema = z.object({
  example: z.string().nullable(),
  /** `.env` is ignored by git; null outside git. */
  env_ignored: z.boolean().nullable(),
  /** Env files with real values that git tracks (a leak). */
  committed_env_files: z.array(z.string()),
  /**
   * The env file the service stops at start without (bulletproof-nodejs: `if (envFound.error) throw`), relative to
   * where it runs: the image creates it empty, the deployment sets the variables.
   */
  required_at_start: z.string().optional(),
});

export const HealthRouteSchema = z.object({
  path: z.string(),
  method: z.string(),
  /** The handler awaits a database call or an outbound request. */
  slow: z.boolean(),
  /** The handler returns env, versions of dependencies or error stacks. */
  reveals: z.array(z.string()),
  evidence: evidenceList,
});

export const HealthSchema = z.object({
  paths: z.array(z.string()),
  routes: z.array(HealthRouteSchema),
  /** A health module such as @nestjs/terminus or @fastify/under-pressure. */
  module: z.string().nullable(),
});

export const DatabaseEngine = z.enum(['postgres', 'mysql', 'mongodb', 'redis', 'sqlite']);
export type DatabaseEngine = z.infer<typeof DatabaseEngine>;

export const DatabaseSchema = z.object({
  engine: DatabaseEngine.nullable(),
  driver: z.string().nullable(),
  orm: z.string().nullable(),
  /** The exact env key the service reads for the connection (DATABASE_URL, POSTGRES_URL, ...); null if none found. */
  env_key: z.string().nullable(),
  /** All env keys that feed the connection (PG* parts included). */
  env_keys: z.array(z.string()),
  /**
   * The setting that chooses this engine, when the connection is opened only in its branch (`switch
   * (process.env.DATABASE_TYPE) { case 'postgres': … }`, SQLite otherwise): the deployment that wires this engine sets it.
   */
  selector: z.object({ env_name: z.string(), value: z.string() }).optional(),
  /**
   * The Prisma schema this connection is declared in (repo-relative; a multi-file schema's folder), and the directories
   * (repo-relative, '' = root) from which the Prisma CLI finds it unasked (its default place, prisma.config's `schema`,
   * package.json's `"prisma": {"schema"}`): `prisma generate` and `migrate deploy` run anywhere else need `--schema`.
   */
  prisma_schema: z.object({ path: z.string(), found_from: z.array(z.string()) }).optional(),
  evidence: evidenceList,
});

export const MigrationsSchema = z.object({
  tool: z.enum(['prisma', 'drizzle', 'typeorm', 'node-pg-migrate', 'knex', 'sequelize', 'db-migrate', 'lucid', 'medusa', 'script']).nullable(),
  command: z.string().nullable(),
  directory: z.string().nullable(),
  /** Migration files found (repo-relative), sorted. */
  files: z.array(z.string()),
  evidence: evidenceList,
  /**
   * The package whose binary the command runs, and how the service installs it: a devDependency is pruned
   * from a production image (the generated Dockerfile then keeps devDependencies), an absent one is fetched by npx.
   */
  cli: z.object({ package: z.string(), installed: z.enum(['prod', 'dev', 'absent']) }).nullable().optional(),
  /**
   * Where the service applies its migrations itself when it starts (`dataSource.runMigrations()`, `migrateToLatest()`,
   * `knex.migrate.latest()`, drizzle's `migrate()`, TypeORM's `migrationsRun: true`): `command` is then null and the
   * deployment runs no migrate step of its own.
   */
  at_start: EvidenceSchema.nullable().optional(),
});

export const ProcessSchema = z.object({
  graceful_shutdown: z.boolean(),
  signals: z.array(z.string()),
  logger: z.string().nullable(),
  logs_port_on_start: z.boolean(),
  /** Queue/cron/worker libraries found, e.g. bullmq, node-cron. */
  background_work: z.array(z.string()),
  evidence: evidenceList,
});

export const DockerfileSchema = z.object({
  path: z.string(),
  expose: z.array(z.number().int()),
  /** The variable its final stage sets to the exposed port (`ENV PDS_PORT=3000`), other than PORT. */
  port_env: z.string().optional(),
  /** The PORT its final stage sets (`ENV PORT=3000`): where a service that reads PORT listens in that image. */
  env_port: z.number().int().optional(),
  cmd: z.string().nullable(),
  entrypoint: z.string().nullable(),
  user: z.string().nullable(),
  base_images: z.array(z.string()),
  stages: z.number().int(),
  /** `FROM image AS name` stage names, so later `FROM name` is not mistaken for an image. */
  stage_names: z.array(z.string()),
  /** It builds or installs devDependencies (false: it copies a build made elsewhere and installs production ones). */
  ships_build_tools: z.boolean().optional(),
  /** Paths it COPYs from the build context that git does not have (a build output made before `docker build`). */
  copies_missing: z.array(z.string()).optional(),
  evidence: evidenceList,
});

export const ConfigOverridesSchema = z.object({
  path: z.string(),
  port: z.number().int().min(1).max(65535).optional(),
  start_command: z.string().optional(),
  build_command: z.string().optional(),
  node_version: z.string().optional(),
  base_image: z.string().optional(),
  health_path: z.string().optional(),
  env_overrides: z.record(z.string(), z.string()).optional(),
  /** Variables the code reads without a default that the service runs without: never asked for at deploy time. */
  optional_env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).optional(),
});

export const UnitSchema = z.object({
  path: z.string(),
  name: z.string().nullable(),
  kind: Kind,
  framework: FrameworkName,
});

export const WorkspaceSchema = z.object({
  tools: z.array(z.enum(['npm', 'pnpm', 'yarn', 'bun', 'turbo', 'nx', 'lerna'])),
  patterns: z.array(z.string()),
  evidence: evidenceList,
});

export const StaticSiteSchema = z.object({
  output_dir: z.string(),
  spa: z.boolean(),
});

export const SystemProgramSchema = z.object({ program: z.string(), package: z.string().nullable(), evidence: evidenceList });
export type SystemProgram = z.infer<typeof SystemProgramSchema>;

export const AnalysisSchema = z.object({
  schema_version: z.literal(ANALYSIS_SCHEMA_VERSION),
  generated_at: z.string(),
  tool: z.object({ name: z.literal('sealos-deploy'), version: z.string() }),
  project: z.object({
    /** Directory name of the repo root. */
    name: z.string(),
    /** `name` from the unit's package.json (apps are named after it), when it has one. */
    package_name: z.string().nullable().optional(),
    /** The unit analyzed, relative to the repo root ("" = the root). */
    path: z.string(),
    git: z
      .object({ commit: z.string().nullable(), branch: z.string().nullable(), dirty: z.boolean(), remote: z.string().nullable() })
      .nullable(),
  }),
  package_manager: PackageManagerSchema,
  node: NodeSchema,
  framework: FrameworkSchema,
  kind: Kind,
  kind_reason: z.string(),
  commands: CommandsSchema,
  /** Resolved runtime entrypoint file, relative to the unit; null when it cannot be resolved. */
  entrypoint: z.string().nullable(),
  entrypoint_evidence: evidenceList,
  static_site: StaticSiteSchema.nullable(),
  port: PortSchema,
  bind: BindSchema,
  env_vars: z.array(EnvVarSchema),
  env_files: EnvFilesSchema,
  health: HealthSchema,
  database: DatabaseSchema,
  /** Every datastore found; `database` is the primary one (postgres first). */
  databases: z.array(DatabaseSchema),
  migrations: MigrationsSchema,
  process: ProcessSchema,
  dockerfile: DockerfileSchema.nullable(),
  config: ConfigOverridesSchema.nullable(),
  workspace: WorkspaceSchema.nullable(),
  units: z.array(UnitSchema),
  /**
   * Workspace packages the unit depends on (directly or through each other), nearest first: their code runs in
   * the unit's process, so analysis reads it, and those with a build script are built before the unit. `root_declared`:
   * the unit's code imports it but only the workspace root declares it, so a filter on the unit does not reach it and
   * the image installs and builds it explicitly.
   */
  local_packages: z.array(z.object({ path: z.string(), name: z.string(), build: z.boolean(), root_declared: z.boolean().optional() })).optional(),
  /**
   * Other packages whose build output the server serves (`express.static(join(__dirname, '../client/dist'))`): the image
   * builds each in its directory with `script`. A workspace member installs with the workspace; another package
   * (its own lockfile) with `install`, and runs the script with `run`.
   */
  served_builds: z
    .array(z.object({ path: z.string(), script: z.string(), output: z.string(), workspace: z.boolean(), install: z.string().nullable(), run: z.string().nullable(), evidence: evidenceList }))
    .optional(),
  /**
   * Programs the service runs (`execSync('git rev-parse HEAD')`, fluent-ffmpeg's ffmpeg) with the Debian package that
   * provides each (null: unknown): the generated image installs the known ones.
   */
  system_programs: z.array(SystemProgramSchema).optional(),
  /**
   * The unit is a project of an Nx workspace with a project.json and no package.json: it installs with the root's
   * dependencies, Nx builds it from the workspace, and `output` (repo-relative) is the file node runs.
   */
  nx_project: z.object({ name: z.string(), file: z.string(), output: z.string().nullable(), source_main: z.string().nullable() }).nullable().optional(),
  findings: z.array(FindingSchema),
  /** Files the analyzer could not read or parse (binary, too large, symlink, syntax error), with why. */
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
  stats: z.object({
    files_listed: z.number().int(),
    files_read: z.number().int(),
    /** Source files whose scan came from the scan cache (unchanged since an earlier analysis): not read. */
    files_cached: z.number().int().optional(),
    duration_ms: z.number(),
  }),
});
export type Analysis = z.infer<typeof AnalysisSchema>;
export type PortFacts = z.infer<typeof PortSchema>;
export type BindFacts = z.infer<typeof BindSchema>;
export type EnvVar = z.infer<typeof EnvVarSchema>;
export type HealthFacts = z.infer<typeof HealthSchema>;
export type DatabaseFacts = z.infer<typeof DatabaseSchema>;
export type MigrationFacts = z.infer<typeof MigrationsSchema>;
export type ProcessFacts = z.infer<typeof ProcessSchema>;
export type DockerfileFacts = z.infer<typeof DockerfileSchema>;
export type ConfigOverrides = z.infer<typeof ConfigOverridesSchema>;
export type Unit = z.infer<typeof UnitSchema>;
