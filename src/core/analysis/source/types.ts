import type { ServedPath } from './served-paths.js';
import type { LocalPackage } from '../local-packages.js';
import type { z } from 'zod';
import { evidence, type Evidence } from '../../evidence.js';
import type {
  BindFacts,
  DatabaseFacts,
  EnvFilesSchema,
  EnvVar,
  Finding,
  FindingStatus,
  FrameworkName,
  HealthFacts,
  MigrationFacts,
  PortFacts,
  ProcessFacts,
  SystemProgram,
} from '../../state/analysis-schema.js';
import type { AnalysisContext } from '../context.js';
import { lineSnippet as lineSnippetOf } from './ast.js';
import type { Evaluator, SourceIndex } from './modules.js';
import type { Route } from './routes.js';
import type { FileScan } from './scan.js';

export interface SourceHints {
  framework: FrameworkName;
  /** Next.js's `output` setting (standalone: the image runs server.js, which embeds next.config). */
  nextOutput?: string | null;
  /** Repo-relative file the start command runs (may be a build output; then dist/x.js maps to src/x.ts). */
  entrypoint: string | null;
  /** Resolved start command, e.g. "node dist/server.js", "next start -p 4000". */
  startCommand: string | null;
  /** package.json scripts of the unit. */
  scripts: Record<string, string>;
  /** EXPOSE ports of the Dockerfile the unit is built with, and where they are (the unit's own or the root one). */
  dockerfileExpose: { ports: number[]; evidence: Evidence[]; env?: string };
  /** Repo-relative dirs of nested workspace packages to exclude. */
  nestedUnits: string[];
  /** How many packages the repository root holds (workspace members, or packages no workspace declares). */
  siblingUnits?: number;
  /** How the package manager runs a script, e.g. "npm run", "pnpm run". */
  runPrefix?: string;
  /** How the package manager runs a package binary, e.g. "npx", "pnpm exec". */
  execPrefix?: string;
  /** Workspace packages the unit depends on: their code runs in the unit's process. */
  localPackages?: readonly LocalPackage[];
}

export interface SourceFacts {
  port: PortFacts;
  bind: BindFacts;
  env_vars: EnvVar[];
  env_files: z.infer<typeof EnvFilesSchema>;
  health: HealthFacts;
  database: DatabaseFacts;
  databases: DatabaseFacts[];
  migrations: MigrationFacts;
  process: ProcessFacts;
  /** A listen/serve call was found: the code runs an HTTP server (a PORT read alone is only a hint). */
  listener: boolean;
  /** The start command runs an HTTP server by name with no code of the project's (`json-server db.json`). */
  cli_server: string | null;
  findings: Finding[];
  /** What the image build sets for variables only the deployment has: prisma.config's `env()` stand-ins, t3-env's skipValidation. */
  build_env: Record<string, string>;
  /** Packages the code imports (by package name): a workspace package only the root declares is found among them. */
  imported_packages: string[];
  /** Packages the running service imports that only devDependencies declare (dev-imports.ts). */
  dev_imports: string[];
  /** The file with the listener, when the entrypoint never loads it (repo-relative). */
  unloaded_listener: string | null;
  /** Modules the code loads that only a committed template of exists: the image copies them (config-templates.ts). */
  config_copies: Array<{ from: string; to: string }>;
  /** The entrypoint only declares and exports: loading it runs nothing (a library's barrel). */
  entry_defines_only: boolean;
  /** Programs the service runs (system-programs.ts). */
  system_programs: SystemProgram[];
  /** Build output directories the code points at that the repository does not have (served-paths.ts). */
  served_paths: ServedPath[];
  /** Source files parsed (each once). */
  parsed_files: number;
  /** Files not analyzed (syntax error, minified, too large), with why. */
  skipped: Array<{ file: string; reason: string }>;
}

/** Everything the concerns share for one analysis call. */
export interface SourceRun {
  ctx: AnalysisContext;
  hints: SourceHints;
  index: SourceIndex;
  ev: Evaluator;
  /** Parsed source files of the unit (those whose text can matter to some concern). */
  scans: FileScan[];
  /**
   * The scans with an AST (the parser read them). The token tier's scans have no calls, classes or
   * bindings: loops that only look at those skip them (thousands in a large service).
   */
  astScans: FileScan[];
  /**
   * The scans of files whose text can matter to some concern (mayMatter): every scan in the tiered mode, which reads
   * no other; the same subset in the 'ast' mode. Passes over many files start here so both modes see the same files.
   */
  matterScans: FileScan[];
  routes: Route[];
  /** The entrypoint source file (build output mapped back to source), when found. */
  entry: string | null;
}

/** A variable named outside `process.env` reads: in a Prisma schema, a node-config mapping, a convict schema. */
export interface ConfigEnvVar {
  name: string;
  file: string;
  line: number;
  /** The default the declaration gives, when it gives one. */
  def?: string | null;
  /** It has a default that is not a plain value (a list, a path): set or not, the service starts. */
  optional?: boolean;
  /** `code` when a code-level schema declares it; `config` (default) for configuration files. */
  source?: 'code' | 'config';
  rule?: string;
}

export type Section = Finding['section'];

export function finding(id: string, section: Section, status: FindingStatus, message: string, fix: string | null, ev: Evidence[]): Finding {
  return { id, section, status, message, fix: status === 'pass' ? null : fix, evidence: ev.slice(0, 8) };
}

/** Evidence for a node in a scanned file, with a masked one-line snippet. */
export function nodeEvidence(scan: FileScan, offset: number, rule: string, maskStrings = false): Evidence {
  return evidence(scan.file, scan.parsed.line(offset), rule, lineSnippetOf(scan.parsed.text, offset, maskStrings));
}
