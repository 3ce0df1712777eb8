import type { ScoreContext } from '../context.js';
import { RowBuilder } from '../row-builder.js';
import type { ScorecardRow } from '../schema.js';
import { CHECK_PATTERNS } from '../truth-map.js';
import { RUN } from './fixes.js';

/** The public URL over HTTPS. Only a live Truth Pass can make this ready: a rehearsal has no domain. */
export function domainRow(ctx: ScoreContext): ScorecardRow {
  const b = new RowBuilder('Domain and HTTPS');
  if (ctx.a.kind === 'worker') return b.notNeeded('analysis', 'kind', 'a background worker has no public URL');
  const t = b.need(ctx.inputs.template, 'template', '.sealos/template/index.yaml', RUN.render);
  if (t) {
    const ing = t.ingresses;
    if (ing.length === 0) b.block('template', 'Ingress', 'the template has no Ingress, so the service has no public URL', 'Re-render with `sealos-deploy render`');
    else if (!ing.every((i) => i.tls)) b.block('template', 'Ingress.spec.tls', 'an Ingress serves plain HTTP (no tls section)', 'Re-render with `sealos-deploy render` so every host has a certificate');
    else b.add('template', 'Ingress.spec.tls', 'pass', `HTTPS for ${ing.length} Ingress(es)${ing.every((i) => i.sslRedirect) ? ', HTTP redirects to HTTPS' : ''}${t.certificates ? `, ${t.certificates} custom-domain certificate(s)` : ''}`);
  }
  if (ctx.state?.last_deploy.url) b.add('state', 'last_deploy.url', 'info', `recorded URL ${ctx.state.last_deploy.url}`);
  if (ctx.rehearsal) b.add('rehearsal', 'target', 'info', 'a local rehearsal cannot prove the public domain or its certificate');
  const live = b.checks(ctx.truth, 'runtime-truth', CHECK_PATTERNS['Domain and HTTPS']!, 'Fix the public URL (DNS, certificate or Ingress)');
  if (!ctx.truth) b.gap(RUN.verify);
  else if (!ctx.truth.fresh) b.gap(RUN.reverify);
  else if (live.passed === 0 && live.failed === 0) b.gap('The last Truth Pass did not check the public HTTPS URL; run `sealos-deploy verify` again');
  return b.done();
}
