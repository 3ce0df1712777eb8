import { isDeployError } from '../../../errors.js';
import type { CheckOutcome, TruthCheck } from '../../runner.js';
import { noAnswer, probe, type ClusterTruthData } from '../context.js';

export const MIN_CERT_DAYS = 14;
const DAY_MS = 86_400_000;

/** A certificate name covers a host: exact, or a wildcard for exactly one label. */
export function certCovers(name: string, host: string): boolean {
  const n = name.toLowerCase();
  const h = host.toLowerCase();
  if (n === h) return true;
  if (!n.startsWith('*.')) return false;
  const rest = n.slice(1);
  return h.endsWith(rest) && !h.slice(0, -rest.length).includes('.') && h.length > rest.length;
}

/** The certificate served for the App URL verifies, names the host and is valid for at least 14 more days. */
export function tlsCheck(required: boolean): TruthCheck<ClusterTruthData> {
  return {
    id: 'tls',
    required,
    dependsOn: ['identity'],
    async run({ data, signal, clock }): Promise<CheckOutcome> {
      const live = data.live;
      if (!live?.url || !live.host) return { status: 'skip', summary: 'the app has no public URL', skipReason: 'no App CR URL and no Ingress host for the app' };
      if (new URL(live.url).protocol !== 'https:')
        return { status: 'warn', summary: `the App URL ${live.url} is plain http: traffic is not encrypted`, evidence: { url: live.url } };
      let result;
      try {
        result = await probe(data, 'tls', '/', signal);
      } catch (err) {
        if (signal.aborted) throw err;
        const ev = noAnswer(err);
        if (isDeployError(err) && err.code === 'TLS_INVALID') {
          const cause = (err.details as { cause?: string } | undefined)?.cause ?? null;
          return { status: 'fail', summary: `the certificate for ${live.host} does not verify (${cause ?? err.message})`, evidence: { ...ev, tls_error: cause } };
        }
        return { status: 'fail', summary: `no TLS connection to ${live.host}: ${(err as Error).message}`, evidence: ev };
      }
      const tls = result.res.tls;
      if (!tls) return { status: 'fail', summary: `the https answer from ${live.host} carried no certificate facts`, evidence: result.evidence };
      const validTo = tls.validTo ? new Date(tls.validTo) : null;
      const daysLeft = validTo ? Math.floor((validTo.getTime() - clock.now().getTime()) / DAY_MS) : null;
      const names = tls.subjectAltNames;
      const covered = names.some((n) => certCovers(n, live.host as string));
      const evidence = {
        host: live.host,
        valid_to: tls.validTo || null,
        days_left: daysLeft,
        subject_alt_names: names.slice(0, 20),
        authorized: tls.authorized,
        authorization_error: tls.authorizationError ?? null,
        request: result.evidence.request,
      };
      if (!tls.authorized) return { status: 'fail', summary: `the certificate for ${live.host} is not trusted (${tls.authorizationError ?? 'unverified'})`, evidence };
      if (!covered) return { status: 'fail', summary: `the certificate does not name ${live.host} (it names ${names.slice(0, 5).join(', ') || 'nothing'})`, evidence };
      if (daysLeft === null) return { status: 'fail', summary: `the certificate for ${live.host} has no expiry date`, evidence };
      if (daysLeft < MIN_CERT_DAYS)
        return { status: 'fail', summary: `the certificate for ${live.host} expires in ${daysLeft} day(s) (${tls.validTo}); at least ${MIN_CERT_DAYS} are needed: renew it (cert-manager Certificate) before launch`, evidence };
      return { status: 'pass', summary: `the certificate for ${live.host} verifies and is valid for ${daysLeft} more days`, evidence };
    },
  };
}
