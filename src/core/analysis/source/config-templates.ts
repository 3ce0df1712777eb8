import { evidence } from '../../evidence.js';
import type { Finding } from '../../state/analysis-schema.js';
import { shellWord } from '../../shell-word.js';
import { importsOf, loadedFrom } from './loaded-files.js';
import { dirname, joinPath } from './modules.js';
import { finding, type SourceRun } from './types.js';

const EXTS = ['', '.js', '.cjs', '.mjs', '.ts', '.json'];
const MARKS = ['template', 'example', 'sample', 'dist', 'default'];

/**
 * A module the code loads that the repository does not have, beside a template of it (mirotalksfu's
 * `require('./config')` with app/src/config.template.js committed, config.js git-ignored; mediasoup-demo's
 * config.example.js): the server stops at "Cannot find module" unless the image lays the template out as the project's
 * own Dockerfile does. `copies` are unit-relative (the build runs them from the unit).
 */
export function configTemplates(run: SourceRun): { copies: Array<{ from: string; to: string }>; findings: Finding[] } {
  const none = { copies: [], findings: [] };
  if (!run.entry) return none;
  const unitPrefix = run.ctx.unit ? run.ctx.unit + '/' : '';
  const files = new Set(run.ctx.repo.files);
  const copies: Array<{ from: string; to: string }> = [];
  const ev = [];
  for (const file of loadedFrom(run, run.entry)) {
    for (const spec of importsOf(run, file)) {
      if (!spec.startsWith('./') && !spec.startsWith('../')) continue;
      if (run.index.resolve(file, spec) !== null) continue;
      const base = joinPath(dirname(file), spec);
      const found = templateOf(base, files);
      if (!found || !found.to.startsWith(unitPrefix) || copies.some((c) => c.to === found.to.slice(unitPrefix.length))) continue;
      copies.push({ from: found.from.slice(unitPrefix.length), to: found.to.slice(unitPrefix.length) });
      ev.push(evidence(found.from, 1, 'config-template', `${found.to} from ${found.from}`));
    }
  }
  if (copies.length === 0) return none;
  const list = copies.map((c) => `${c.to} (from ${c.from})`).join(', ');
  return {
    copies,
    findings: [
      finding(
        'config-from-template',
        'build-and-image',
        'warn',
        `The code loads ${list}, which the repository does not have: the generated image copies the template there so the server starts. Its settings are the template's.`,
        'Review the template for production (ports, hosts, secrets), or read those settings from environment variables.',
        ev,
      ),
    ],
  };
}

/** The file a module specifier means and the template committed beside it (`config.js` and `config.template.js`). */
function templateOf(base: string, files: ReadonlySet<string>): { from: string; to: string } | null {
  const ext = /\.[cm]?[jt]s$|\.json$/.exec(base)?.[0];
  for (const e of ext ? [''] : EXTS) {
    const to = base + e;
    const x = ext ?? e;
    if (!x || files.has(to)) continue;
    const stem = to.slice(0, to.length - x.length);
    for (const mark of MARKS) {
      for (const from of [`${stem}.${mark}${x}`, `${to}.${mark}`]) if (files.has(from)) return { from, to };
    }
  }
  return null;
}

/** The shell command that lays the copies out, from the unit. */
export function copyCommand(copies: ReadonlyArray<{ from: string; to: string }>): string {
  return copies.map((c) => `cp ${shellWord(c.from)} ${shellWord(c.to)}`).join(' && ');
}
