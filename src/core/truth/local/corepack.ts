import type { Runner } from '../../ports.js';

/** Package managers Node ships through corepack: runnable as `corepack yarn …` where `yarn` is not on PATH. */
const COREPACK_MANAGED = new Set(['yarn', 'pnpm']);

/** Corepack fetches the manager the project pins (packageManager) without asking: nobody answers a prompt here. */
const COREPACK_ENV = { COREPACK_ENABLE_DOWNLOAD_PROMPT: '0' };

/**
 * The program line to run `program args` with, and its environment: as they are, or through corepack when the program
 * is yarn or pnpm and not on PATH (a machine with Node but no global yarn, as the generated image prepares it with
 * corepack too). Without either, why not (corepack's own first error line, when it ran).
 */
export async function withCorepack(
  runner: Runner,
  program: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string> },
): Promise<{ argv: string[]; env: Record<string, string>; viaCorepack: boolean } | { argv: null; why: string }> {
  const asIs = { argv: [program, ...args], env: opts.env, viaCorepack: false };
  if (!COREPACK_MANAGED.has(program)) return asIs;
  const probe = await runner.run(program, ['--version'], { cwd: opts.cwd, env: opts.env, timeoutMs: 30_000 });
  if (!probe.notFound) return asIs;
  const viaCorepack = await runner.run('corepack', [program, '--version'], { cwd: opts.cwd, env: { ...opts.env, ...COREPACK_ENV }, timeoutMs: 120_000 });
  if (viaCorepack.notFound) return { argv: null, why: `${program} is not installed (not found on PATH), nor is corepack: install ${program}` };
  if (viaCorepack.exitCode !== 0) {
    // "Corepack cannot download the latest stable version of yarn; …": an old corepack with rotated registry keys, offline…
    const lines = `${viaCorepack.stderr}\n${viaCorepack.stdout}`.split('\n').map((l) => l.trim());
    const first = lines.find((l) => /^(Usage |Internal )?Error:/.test(l))?.replace(/^(Usage |Internal )?Error:\s*/, '') ?? lines.filter((l) => l && !/^at\s|corepack\.cjs|throw new/.test(l)).at(-1);
    return { argv: null, why: `${program} is not installed (not found on PATH) and corepack could not provide it${first ? ` (${first.slice(0, 220)})` : ''}: run \`corepack enable\` with a current corepack (\`npm i -g corepack@latest\`) or install ${program}` };
  }
  return { argv: ['corepack', program, ...args], env: { ...opts.env, ...COREPACK_ENV }, viaCorepack: true };
}
