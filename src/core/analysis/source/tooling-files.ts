import { TOOLING_DIR } from '../context.js';
import type { SourceRun } from './types.js';

/**
 * Whether a unit file is tooling the running service never loads: release, CI and maintenance scripts and mock servers
 * (`scripts/`, `tools/`: chat-ui's scripts/mock-image-mcp.mjs serves a /health of its own), and the helper a repository's
 * own Docker entrypoint runs before the server (haste-server's docker-entrypoint.js writes config.js from 21
 * variables): the generated image starts the server itself. A service started from such a directory (`node
 * scripts/server.js`), or whose listener is there, runs its code: that directory is the service's.
 */
export function toolingFiles(run: Pick<SourceRun, 'ctx' | 'entry'>, listener: string | null = null): (file: string) => boolean {
  const unitPrefix = run.ctx.unit ? run.ctx.unit + '/' : '';
  // The directories of the entrypoint and of the service's own listener (kener bundles scripts/main.ts into its server).
  const serviceDirs = new Set([run.entry, listener].flatMap((f) => (f?.startsWith(unitPrefix) ? [f.slice(unitPrefix.length).split('/')[0]] : [])));
  return (file) => {
    if (!file.startsWith(unitPrefix) || file === run.entry) return false;
    const rel = file.slice(unitPrefix.length);
    return (TOOLING_DIR.test(rel) && !serviceDirs.has(rel.split('/')[0])) || DOCKER_ENTRYPOINT.test(rel);
  };
}

const DOCKER_ENTRYPOINT = /(^|\/)docker-entrypoint\.[cm]?[jt]s$/;

/**
 * Configs and scripts only the build runs (epic-stack's vite.config.ts reads SENTRY_ORG to upload source maps, smee.io's
 * webpack.config.js reads NODE_ENV): the running service never reads them. Not next.config, which `next start` loads.
 */
export const BUILD_CONFIG =
  /(^|\/)((vite|vitest|astro|svelte|react-router|remix|nuxt|webpack|rollup|tsup|esbuild|rspack|rsbuild|postcss|tailwind|babel|parcel)\.config(\.[\w-]+)?|webpack\.(common|base|prod|production|dev|development|client|server)|esbuild)\.[cm]?[jt]s$/i;
