import type { ScoreContext } from '../context.js';
import { RowBuilder } from '../row-builder.js';
import type { ScorecardRow } from '../schema.js';
import { CHECK_PATTERNS } from '../truth-map.js';
import { RUN } from './fixes.js';

const RERENDER = 'Re-render the template with `sealos-deploy render`';

/** Section 2: the template matches the service (image, port, env, Service, Ingress, database, pull Secret). */
export function resourcesRow(ctx: ScoreContext): ScorecardRow {
  const b = new RowBuilder('Sealos generated resources');
  const t = b.need(ctx.inputs.template, 'template', '.sealos/template/index.yaml', RUN.render);
  if (!t) return b.done();
  const { a } = ctx;
  if (t.problems.length) {
    b.block('template', 'resources', `${t.problems.length} resource problem(s): ${t.problems.slice(0, 3).join('; ')}`, `${RERENDER}, or fix the listed fields`);
  } else b.add('template', 'resources', 'pass', 'every resource passes the Kubernetes and Sealos checks');
  const w = t.workload;
  if (!w) {
    b.block('template', 'workload', 'no Deployment or StatefulSet for the app', RERENDER);
    return b.done();
  }
  b.add('template', 'workload', 'info', `${w.kind} running ${w.image ?? 'no image'}`);

  const port = ctx.expectedPort;
  if (port !== null) {
    if (!w.ports.includes(port)) b.block('template', 'containerPort', `the container exposes ${w.ports.join(', ') || 'no port'} but the service listens on ${port}`, `${RERENDER} so the container, Service and probes use port ${port}`);
    else if (w.portEnv !== null && w.portEnv !== String(port)) b.block('template', 'env.PORT', `PORT is set to ${w.portEnv} but the container port is ${port}`, RERENDER);
    else b.add('template', 'containerPort', 'pass', `container, Service and probes use port ${port} like the service`);
    const svc = t.services.flatMap((s) => s.ports).some((p) => p.port === port);
    if (!svc) b.block('template', 'Service', `no Service port ${port}`, RERENDER);
  } else if (a.kind !== 'worker') b.block('analysis', 'port', 'the analysis found no listening port', 'Make the service listen on process.env.PORT, analyze and render again');

  if (ctx.build?.outcome === 'success') {
    if (t.image !== ctx.build.image) b.block('template', 'originImageName', `the template deploys ${t.image ?? 'no image'} but the last build produced ${ctx.build.image}`, `${RERENDER} for the built image`);
    else b.add('template', 'originImageName', 'pass', 'the template deploys the image of the last build');
    if (ctx.build.requires_image_pull_secret && w.imagePullSecrets === 0) {
      b.block('template', 'imagePullSecrets', 'the image is private but pods have no image pull Secret', `${RERENDER} with --private-image`);
    }
  } else b.add('template', 'originImageName', 'info', 'no successful build-result to compare the template image with');

  if (a.database.engine === 'postgres') {
    if (t.postgresCluster) b.add('template', 'Cluster', 'pass', 'the template includes the PostgreSQL cluster');
    else b.block('template', 'Cluster', 'the service uses PostgreSQL but the template has no PostgreSQL cluster', RERENDER);
  }
  const key = a.database.env_key;
  if (key && !w.envNames.includes(key) && !w.hasEnvFrom) b.block('template', `env.${key}`, `the service reads ${key} but the container does not set it`, RERENDER);
  b.checks(ctx.truth, 'runtime-truth', CHECK_PATTERNS['Sealos generated resources']!, 'Reconcile the live resources with the template');
  return b.done();
}
