// A configuration file the service reads at start that the repository only has a sample of (wiki.js reads config.yml
// and exits without it; only config.sample.yml is committed, config.yml is git-ignored): the image is built from the
// repository, so the container has none.
import { evidence, lineOf } from '../../evidence.js';
import type { Finding } from '../../state/analysis-schema.js';
import { finding, type SourceRun } from './types.js';

// `config.sample.yml`, `config.example.json`, `settings.json.template`, `app.dist.yaml`: a file to copy and fill in.
const SAMPLE = /^(.+?)\.(?:sample|example|dist|template|default)\.(json|ya?ml|toml|ini|conf)$|^(.+?\.(?:json|ya?ml|toml|ini|conf))\.(?:sample|example|dist|template)$/;
// Modules through which code reads a configuration file.
const READERS = /^(node:)?fs(\/promises)?$|^(fs-extra|js-yaml|yaml|toml|@iarna\/toml|ini|nconf|json5|config)$/;

/** Committed samples whose filled-in file is not in the repository, by the file name code would read. */
function missingFromSamples(run: SourceRun): Map<string, { sample: string; target: string }> {
  const { ctx } = run;
  const unit = ctx.unit ? ctx.unit + '/' : '';
  const files = new Set(ctx.unitFiles);
  const out = new Map<string, { sample: string; target: string }>();
  for (const f of ctx.unitFiles) {
    const rel = f.slice(unit.length);
    // The unit's own top level or a config/ directory: samples elsewhere belong to tooling, docs or tests.
    if (!/^(config\/|conf\/)?[^/]+$/.test(rel)) continue;
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    const m = SAMPLE.exec(name);
    if (!m) continue;
    const targetName = m[3] ?? `${m[1]}.${m[2]}`;
    const target = unit + rel.slice(0, rel.length - name.length) + targetName;
    if (!files.has(target)) out.set(targetName, { sample: f, target });
  }
  return out;
}

export function configFileFindings(run: SourceRun): Finding[] {
  const missing = missingFromSamples(run);
  if (missing.size === 0) return [];
  const names = [...missing.keys()];
  // Only files that read through a file or config module are read for the name (a cached scan keeps its imports).
  for (const s of run.scans) {
    if (![...s.importSources].some((m) => READERS.test(m))) continue;
    const text = s.parsed.text;
    for (const name of names) {
      const at = text.search(new RegExp(`['"\`/]${name.replace(/\./g, '\\.')}['"\`]`));
      if (at === -1) continue;
      const m = missing.get(name)!;
      return [
        finding(
          'config-file',
          'build-and-image',
          'warn',
          `The service reads ${name} (${s.file}:${lineOf(text, at)}), which the repository does not have: only ${m.sample} is committed. The image is built from the repository, so the container has no ${name} and may stop at start.`,
          `Commit a production ${m.target} that takes its settings from environment variables (many loaders substitute \${VAR} or $(VAR)), or have the Dockerfile create it (COPY ${m.sample} ${m.target}) and set the values through the environment.`,
          [evidence(s.file, lineOf(text, at), 'config-file-read', name), evidence(m.sample, 1, 'config-file-sample')],
        ),
      ];
    }
  }
  return [];
}
