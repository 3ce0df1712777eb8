import { evidence, type Evidence } from '../evidence.js';
import { looksSecretName, maskCommandSecrets } from '../redact.js';
import type { DockerfileFacts } from '../state/analysis-schema.js';
import { parseDockerfile, parseJsonForm } from '../image/dockerfile-parse.js';
import { contextCopySources, shipsBuildTools } from '../image/dockerfile-lint.js';
import type { ParsedDockerfile } from '../image/dockerfile-parse.js';
import type { AnalysisContext } from './context.js';

/** Dockerfile instructions with continuations joined; line = where the instruction starts. */
export function dockerInstructions(text: string): Array<{ op: string; args: string; line: number }> {
  const out: Array<{ op: string; args: string; line: number }> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let l = lines[i] ?? '';
    if (/^\s*(#|$)/.test(l)) continue;
    while (/\\\s*$/.test(l) && i + 1 < lines.length) {
      i++;
      const next = lines[i] ?? '';
      if (/^\s*#/.test(next)) continue;
      l = l.replace(/\\\s*$/, ' ') + next;
    }
    const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(l);
    if (m) out.push({ op: (m[1] ?? '').toUpperCase(), args: (m[2] ?? '').trim(), line: start + 1 });
  }
  return out;
}

/**
 * `ENV STRIPE_SECRET_KEY=sk_live_…` or `ARG NPM_TOKEN=…` with a value: the secret is committed and stays in the
 * image (its layers and history, even in a build stage). A failing security finding, naming never the value.
 */
function bakedSecrets(ctx: AnalysisContext, path: string, ins: Array<{ op: string; args: string; line: number }>): void {
  const hits: Array<{ name: string; line: number }> = [];
  for (const i of ins) {
    if (i.op !== 'ENV' && i.op !== 'ARG') continue;
    // The legacy form `ENV NAME value` has no `=`.
    const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+(\S.*)$/.exec(i.args);
    const names = legacy && !i.args.includes('=') ? (looksSecretName(legacy[1]!) && !legacy[2]!.startsWith('$') ? [legacy[1]!] : []) : maskCommandSecrets(i.args).masked;
    for (const name of names) hits.push({ name: `${i.op} ${name}`, line: i.line });
  }
  if (!hits.length) return;
  ctx.notes.push({
    id: 'dockerfile-secret',
    section: 'security',
    message: `${path} bakes ${hits.length === 1 ? 'a secret' : 'secrets'} into the image: ${hits.map((h) => h.name).join(', ')}. Anyone who can pull the image can read ${hits.length === 1 ? 'it' : 'them'}, and ${hits.length === 1 ? 'it is' : 'they are'} committed.`,
    fix: 'Remove the value from the Dockerfile and rotate it; set it on the deployment at run time (sealos-deploy asks for it as a Secret), or use a BuildKit secret mount for build-time credentials.',
    evidence: hits.map((h) => evidence(path, h.line, 'dockerfile-secret')),
  });
}

/**
 * Paths the Dockerfile COPYs from its context that git does not have, whether the context is its directory or the
 * repository root (Nx's generated `COPY dist/api api`: a build made before `docker build`).
 */
function missingSources(ctx: AnalysisContext, path: string, df: ParsedDockerfile): { copies_missing?: string[] } {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  const has = (p: string) => ctx.repo.files.some((f) => f === p || f.startsWith(p + '/'));
  const missing = [...new Set(contextCopySources(df).map((c) => c.src))].filter((src) => !has(dir + src) && !has(src));
  return missing.length ? { copies_missing: missing } : {};
}

/** What the final stage's ENV lines set (`ENV PORT=3000 \\ NODE_ENV=production`, the old `ENV PORT 3000`). */
function finalStageEnv(stage: ReadonlyArray<{ op: string; args: string }>): Map<string, string> {
  const env = new Map<string, string>();
  for (const i of stage) {
    if (i.op !== 'ENV') continue;
    const legacy = /^([A-Za-z_]\w*)\s+([^=\s][^=]*)$/.exec(i.args.trim());
    if (legacy) env.set(legacy[1]!, legacy[2]!.trim().replace(/^["']|["']$/g, ''));
    else for (const m of i.args.matchAll(/([A-Za-z_]\w*)=("[^"]*"|'[^']*'|\S*)/g)) env.set(m[1]!, m[2]!.replace(/^["']|["']$/g, ''));
  }
  return env;
}

export function detectDockerfile(ctx: AnalysisContext): DockerfileFacts | null {
  const path = [ctx.unitPath('Dockerfile'), 'Dockerfile'].find((p) => ctx.repo.files.includes(p));
  if (!path) return null;
  const text = ctx.repo.read(path);
  if (text === null) return null;
  // A workspace unit without a Dockerfile of its own: the repository's root one is the unit's only if it names the
  // unit (`COPY apps/api …`, `--filter @acme/api`); otherwise it builds another app, and its EXPOSE is not this port.
  if (ctx.unit && path === 'Dockerfile') {
    const name = typeof ctx.pkg?.name === 'string' ? ctx.pkg.name : null;
    if (!text.includes(ctx.unit) && !(name && text.includes(name))) return null;
  }
  const ins = dockerInstructions(text);
  // The image module's parse (flags, exec form, heredocs) for what the lint also judges: the COPY sources, the RUNs.
  const parsed = parseDockerfile(text);
  const ev: Evidence[] = [];
  const froms = ins.filter((i) => i.op === 'FROM');
  const lastFrom = froms[froms.length - 1]?.line ?? 0;
  const finalStage = ins.filter((i) => i.line >= lastFrom);
  const env = finalStageEnv(finalStage);
  const expose: number[] = [];
  for (const i of finalStage.filter((i) => i.op === 'EXPOSE')) {
    // `ENV PORT=1443` then `EXPOSE ${PORT}` (timvisee/send): the value the stage set.
    for (const p of i.args.replace(/\$\{?([A-Za-z_]\w*)\}?/g, (m, k: string) => env.get(k) ?? m).split(/\s+/)) {
      const n = Number.parseInt(p, 10);
      if (Number.isInteger(n) && n > 0 && n < 65536) expose.push(n);
    }
    ev.push(evidence(path, i.line, 'dockerfile-expose', `EXPOSE ${i.args}`));
  }
  // `ENV PDS_PORT=3000` beside `EXPOSE 3000` (bluesky's PDS, whose server reads PDS_PORT inside a library): the variable
  // the image sets for the port it exposes.
  let portEnv: { name: string; line: number } | null = null;
  for (const i of finalStage.filter((x) => x.op === 'ENV'))
    for (const m of i.args.matchAll(/(?:^|\s)([A-Z][A-Z0-9_]*PORT)(?:=|\s+)["']?(\d+)["']?(?=\s|$)/g))
      if (!portEnv && m[1] !== 'PORT' && expose.includes(Number(m[2]))) portEnv = { name: m[1]!, line: i.line };
  if (portEnv) ev.push(evidence(path, portEnv.line, 'dockerfile-port-env', `ENV ${portEnv.name}=${expose[0]}`));
  bakedSecrets(ctx, path, ins);
  const last = (op: string) => finalStage.filter((i) => i.op === op).at(-1) ?? null;
  const mask = (i: { args: string } | null) => (i ? maskCommandSecrets(i.args).text : null);
  const cmd = mask(last('CMD'));
  const entry = mask(last('ENTRYPOINT'));
  const user = last('USER');
  const envPort = Number(env.get('PORT'));
  return {
    path,
    expose,
    ...(portEnv ? { port_env: portEnv.name } : {}),
    ...(Number.isInteger(envPort) && envPort > 0 && envPort < 65536 ? { env_port: envPort } : {}),
    cmd,
    entrypoint: entry,
    user: user?.args ?? null,
    base_images: froms.map((f) => f.args.split(/\s+/).filter((a) => !a.startsWith('--'))[0] ?? ''),
    stages: froms.length,
    stage_names: froms.map((f) => /\sas\s+(\S+)/i.exec(f.args)?.[1] ?? '').filter(Boolean),
    ...missingSources(ctx, path, parsed),
    ships_build_tools: shipsBuildTools(parsed),
    evidence: ev,
  };
}

/**
 * The file the image's command runs with node (`CMD ["node", "--enable-source-maps", "index.js"]`, after an
 * ENTRYPOINT such as `dumb-init --`), relative to the work directory; null when it runs something else.
 */
export function dockerNodeFile(facts: DockerfileFacts | null, readScript: (path: string) => string | null = () => null): { file: string; args: string[] } | null {
  const words = (form: string | null): string[] => (form ? (parseJsonForm(form) ?? form.split(/\s+/).filter(Boolean)) : []);
  // Relative to the work directory (`./src/www`, `/app/index.js`).
  const relative = (path: string) => path.replace(/^(\.\/|\/app\/)/, '');
  let argv = [...words(facts?.entrypoint ?? null), ...words(facts?.cmd ?? null)];
  // `CMD ["./start-docker.sh"]` whose last command runs node (trilium: `exec su-exec node node ./src/www`).
  const script = argv.find((a) => /\.sh$/.test(a));
  if (!argv.includes('node') && script) {
    const line = (readScript(relative(script)) ?? '').split('\n').filter((l) => /(^|\s)node\s/.test(l) && !l.trim().startsWith('#')).at(-1);
    argv = line ? line.trim().split(/\s+/) : argv;
  }
  // The last `node`: su-exec and gosu take the user's name first, which may be node too.
  const at = argv.lastIndexOf('node');
  if (at < 0) return null;
  const rest = argv.slice(at + 1);
  const i = rest.findIndex((a) => !a.startsWith('-'));
  // What follows the file is the program's own (soketi's `node bin/server.js start`: without `start` its CLI exits).
  return i < 0 ? null : { file: relative(rest[i]!), args: rest.slice(i + 1) };
}
