import { evidence, type Evidence } from '../evidence.js';
import type { DockerfileFacts } from '../state/analysis-schema.js';
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

export function detectDockerfile(ctx: AnalysisContext): DockerfileFacts | null {
  const path = [ctx.unitPath('Dockerfile'), 'Dockerfile'].find((p) => ctx.repo.files.includes(p));
  if (!path) return null;
  const text = ctx.repo.read(path);
  if (text === null) return null;
  const ins = dockerInstructions(text);
  const ev: Evidence[] = [];
  const froms = ins.filter((i) => i.op === 'FROM');
  const lastFrom = froms[froms.length - 1]?.line ?? 0;
  const finalStage = ins.filter((i) => i.line >= lastFrom);
  const expose: number[] = [];
  for (const i of finalStage.filter((i) => i.op === 'EXPOSE')) {
    for (const p of i.args.split(/\s+/)) {
      const n = Number.parseInt(p, 10);
      if (Number.isInteger(n) && n > 0 && n < 65536) expose.push(n);
    }
    ev.push(evidence(path, i.line, 'dockerfile-expose', `EXPOSE ${i.args}`));
  }
  const last = (op: string) => finalStage.filter((i) => i.op === op).at(-1) ?? null;
  const cmd = last('CMD');
  const entry = last('ENTRYPOINT');
  const user = last('USER');
  return {
    path,
    expose,
    cmd: cmd?.args ?? null,
    entrypoint: entry?.args ?? null,
    user: user?.args ?? null,
    base_images: froms.map((f) => f.args.split(/\s+/).filter((a) => !a.startsWith('--'))[0] ?? ''),
    stages: froms.length,
    stage_names: froms.map((f) => /\sas\s+(\S+)/i.exec(f.args)?.[1] ?? '').filter(Boolean),
    evidence: ev,
  };
}
