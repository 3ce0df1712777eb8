import type { CheckOutcome, TruthCheck } from '../../runner.js';
import { ingressNotReady, looksLikeHtml, ssrFailures } from '../body-signals.js';
import { noAnswer, probe, type ClusterTruthData } from '../context.js';

type Verdict = { status: 'pass' | 'warn' | 'fail'; why: string };

function judgePage(status: number, body: string, contentLength: string | undefined): Verdict {
  const notReady = ingressNotReady(status, body, contentLength);
  if (notReady) return { status: 'fail', why: notReady };
  if (status >= 500) return { status: 'fail', why: `answered ${status}` };
  const ssr = ssrFailures(body);
  if (ssr.length) return { status: 'fail', why: `answered ${status} with a failure page ("${ssr.map((s) => s.text).join('", "')}")` };
  return { status: 'pass', why: `answered ${status}` };
}

function judgeMissing(status: number, body: string, contentType: string | undefined, staticSite: boolean): Verdict {
  if (status === 404 || status === 410) return { status: 'pass', why: `answered ${status}` };
  if (status === 401 || status === 403 || status === 405)
    return { status: 'warn', why: `answered ${status}: an auth gate or method filter hides whether the route exists` };
  if (status >= 200 && status < 400 && looksLikeHtml(body, contentType) && staticSite)
    return { status: 'warn', why: `answered ${status} with the HTML shell: a static SPA serves index.html for every path (fine while no API lives under this host)` };
  if (status >= 200 && status < 400 && looksLikeHtml(body, contentType))
    return { status: 'fail', why: `answered ${status} with an HTML page: a catch-all (SPA fallback) swallows API paths, so clients get HTML instead of a 404` };
  return { status: 'fail', why: `answered ${status}, not 404: a missing API route must say so` };
}

/**
 * The public URL answers without a server error or a rendered failure page on the root (or the
 * configured paths), and a missing API path is a real 404. This is also the smoke traffic the
 * request-log and error-log checks look for.
 */
export function publicUrlCheck(required: boolean): TruthCheck<ClusterTruthData> {
  return {
    id: 'public-url',
    required,
    dependsOn: ['identity'],
    async run({ data, signal }): Promise<CheckOutcome> {
      if (!data.live?.url) return { status: 'skip', summary: 'the app has no public URL', skipReason: 'no App CR URL and no Ingress host for the app' };
      await data.baseline();
      const pages: Array<Record<string, unknown>> = [];
      const verdicts: Array<Verdict & { path: string }> = [];
      for (const path of data.smokePaths) {
        try {
          const { res, evidence } = await probe(data, 'public-url', path, signal);
          const v = judgePage(res.status, res.body, res.headers['content-length']);
          verdicts.push({ ...v, path });
          pages.push({ ...evidence, ssr_failure_text: ssrFailures(res.body) });
        } catch (err) {
          if (signal.aborted) throw err;
          verdicts.push({ status: 'fail', why: `got no answer (${(err as Error).message})`, path });
          pages.push(noAnswer(err));
        }
      }
      let negative: Record<string, unknown>;
      try {
        const { res, evidence } = await probe(data, 'public-url', data.negativePath, signal);
        verdicts.push({ ...judgeMissing(res.status, res.body, res.headers['content-type'], data.analysis?.kind === 'static'), path: data.negativePath });
        negative = evidence;
      } catch (err) {
        if (signal.aborted) throw err;
        verdicts.push({ status: 'fail', why: `got no answer (${(err as Error).message})`, path: data.negativePath });
        negative = noAnswer(err);
      }
      const evidence = { pages, negative_probe: negative };
      const worst = verdicts.find((v) => v.status === 'fail') ?? verdicts.find((v) => v.status === 'warn');
      if (worst) return { status: worst.status, summary: verdicts.filter((v) => v.status === worst.status).map((v) => `GET ${v.path} ${v.why}`).join('; '), evidence };
      return { status: 'pass', summary: `${verdicts.map((v) => `GET ${v.path} ${v.why}`).join(', ')} (missing API path)`, evidence };
    },
  };
}
