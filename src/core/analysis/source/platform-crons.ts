// Scheduled requests a hosting platform makes (vercel.json `crons`: rallly's house-keeping routes): Vercel calls those
// paths on schedule; on Sealos nothing does, so the jobs silently never run.
import { evidence, lineMatching } from '../../evidence.js';
import type { Finding } from '../../state/analysis-schema.js';
import { finding, type SourceRun } from './types.js';

export function platformCronFindings(run: SourceRun): Finding[] {
  const file = run.ctx.unitPath('vercel.json');
  const text = run.ctx.repo.files.includes(file) ? run.ctx.repo.read(file) : null;
  if (!text) return [];
  let crons: unknown;
  try {
    crons = (JSON.parse(text) as { crons?: unknown }).crons;
  } catch {
    return [];
  }
  const jobs = Array.isArray(crons) ? crons.filter((c): c is { path: string; schedule: string } => typeof c?.path === 'string' && typeof c?.schedule === 'string') : [];
  if (jobs.length === 0) return [];
  const list = jobs.map((j) => `${j.path} at "${j.schedule}"`).join(', ');
  return [
    finding(
      'platform-crons',
      'scaling',
      'warn',
      `${file} schedules ${jobs.length} request${jobs.length === 1 ? '' : 's'} that Vercel makes (${list}): on Sealos nothing calls ${jobs.length === 1 ? 'it' : 'them'}, so the job${jobs.length === 1 ? '' : 's'} never run.`,
      'Create a Kubernetes CronJob (a Sealos cron job) that requests each path on its schedule, with the secret the route checks (e.g. CRON_SECRET as a Bearer token), or run the work in-process with a lock.',
      [evidence(file, lineMatching(text, '"crons"'), 'vercel-crons')],
    ),
  ];
}
