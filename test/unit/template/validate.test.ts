import { describe, expect, it } from 'vitest';
import { instantiate } from '../../../src/core/template/instantiate.js';
import type { K8sObject } from '../../../src/core/template/labels.js';
import { renderTemplate } from '../../../src/core/template/render.js';
import { findResourceProblems, validateResources } from '../../../src/core/template/validate.js';
import { catchAsync, fixedRandom, IMAGE, platform, type Any } from './helpers.js';
import { expressPostgres } from './scenarios.js';

const APP = 'demo-api-qqqqqqqq';

/** Fresh instantiated objects for the express + PostgreSQL app, with the custom domain resources. */
function objects(): K8sObject[] {
  const r = renderTemplate(expressPostgres(), { image: IMAGE, customDomain: 'api.example.com' });
  return instantiate(r.yaml, { ...platform, inputs: { SESSION_SECRET: 's', STRIPE_API_KEY: 'k' }, random: fixedRandom }).objects;
}

function find(list: K8sObject[], kind: string, nth = 0): Any {
  return list.filter((o) => o.kind === kind)[nth];
}

async function problemsAfter(mutate: (list: K8sObject[]) => void): Promise<string[]> {
  const list = objects();
  mutate(list);
  return (await findResourceProblems(list)).map((p) => `${p.kind} ${p.path}: ${p.message}`);
}

describe('validateResources', () => {
  it('accepts what the renderer produces', async () => {
    await expect(validateResources(objects())).resolves.toBeUndefined();
  });

  it('reports Kubernetes schema errors from kubernetes-models with the field path', async () => {
    const p = await problemsAfter((l) => {
      find(l, 'Deployment').spec.template.spec.containers[0].ports[0].containerPort = 'http';
      find(l, 'Service').spec.ports[0].protocol = 7;
    });
    expect(p).toContain('Deployment spec.template.spec.containers[0].ports[0].containerPort: must be integer');
    expect(p.some((x) => x.startsWith('Service spec.ports[0].protocol'))).toBe(true);
  });

  it('rejects unknown fields in the App CR and bad KubeBlocks/cert-manager CRs', async () => {
    const p = await problemsAfter((l) => {
      find(l, 'App').spec.menuData = [];
      find(l, 'App').spec.data.extra = 1;
      find(l, 'Cluster').spec.terminationPolicy = 'Forever';
      delete find(l, 'Certificate').spec.dnsNames;
      find(l, 'Issuer').spec.acme.email = 'not-an-email';
    });
    expect(p.some((x) => x.startsWith('App spec:') && /menuData/.test(x))).toBe(true);
    expect(p.some((x) => x.startsWith('App spec.data:') && /extra/.test(x))).toBe(true);
    expect(p.some((x) => x.startsWith('Cluster spec.terminationPolicy'))).toBe(true);
    expect(p.some((x) => x.startsWith('Certificate spec.dnsNames'))).toBe(true);
    expect(p.some((x) => x.startsWith('Issuer spec.acme.email'))).toBe(true);
  });

  it('enforces the Sealos naming and label rules', async () => {
    const p = await problemsAfter((l) => {
      const dep = find(l, 'Deployment');
      dep.spec.template.spec.containers[0].name = 'web';
      dep.metadata.labels.app = 'other';
      dep.metadata.annotations.originImageName = 'ghcr.io/acme/old:1';
      dep.metadata.annotations['deploy.cloud.sealos.io/maxReplicas'] = 2;
      delete find(l, 'Service').metadata.labels['cloud.sealos.io/app-deploy-manager'];
    });
    expect(p).toEqual(
      expect.arrayContaining([
        'Deployment spec.template.spec.containers[0].name: must equal metadata.name (App Launchpad edits the container named after the app)',
        'Deployment metadata.labels.app: must equal metadata.name',
        'Deployment metadata.annotations.originImageName: must equal the main container image',
        'Deployment metadata.annotations.deploy.cloud.sealos.io/maxReplicas: must be a whole number as a string',
        'Service metadata.labels.cloud.sealos.io/app-deploy-manager: is missing; App Launchpad finds resources by this label',
      ]),
    );
  });

  it('requires the root Ingress path first with a numeric port of the Service', async () => {
    const p = await problemsAfter((l) => {
      const ing = find(l, 'Ingress');
      ing.spec.rules[0].http.paths[0].path = '/api';
      find(l, 'Ingress', 1).spec.rules[0].http.paths[0].backend.service.port = { name: 'http' };
    });
    expect(p).toContain('Ingress spec.rules[0].http.paths[0]: must be path "/" with pathType Prefix (App Launchpad shows no address otherwise)');
    expect(p).toContain('Ingress spec.rules[0].http.paths[0].backend.service.port.number: must be a numeric port');
    const q = await problemsAfter((l) => {
      find(l, 'Ingress').spec.rules[0].http.paths[0].backend.service.port.number = 8080;
    });
    expect(q).toContain('Ingress spec.rules[0].http.paths[0].backend.service.port.number: must match a port of the Service');
  });

  it('requires the same port from container to Service to probes', async () => {
    const p = await problemsAfter((l) => {
      find(l, 'Service').spec.ports[0].targetPort = 3001;
      find(l, 'Deployment').spec.template.spec.containers[0].livenessProbe.httpGet.port = 9999;
    });
    expect(p).toContain('Service spec.ports[0].targetPort: must equal port (the same number end to end)');
    expect(p).toContain('Service spec.ports[0].targetPort: must be a containerPort of the selected workload');
    expect(p).toContain('Deployment spec.template.spec.containers[0].livenessProbe: must probe the container port');
  });

  it('refuses latest images, missing requests/limits, emptyDir and $(VAR) used before it is declared', async () => {
    const p = await problemsAfter((l) => {
      const pod = find(l, 'Deployment').spec.template.spec;
      pod.initContainers = [{ name: 'setup', image: 'busybox', resources: { limits: { cpu: '100m', memory: '64Mi' } } }];
      pod.volumes = [{ name: 'tmp', emptyDir: {} }];
      const env = pod.containers[0].env;
      const url = env.findIndex((e: Any) => e.name === 'DATABASE_URL');
      env.unshift(env.splice(url, 1)[0]);
      delete find(l, 'Job').spec.template.spec.containers[0].resources.requests;
    });
    expect(p).toEqual(
      expect.arrayContaining([
        'Deployment spec.template.spec.initContainers[0].image: uses "latest" or no tag; pin a unique tag or a digest',
        'Deployment spec.template.spec.initContainers[0].resources.requests.cpu: must be set (the namespace default is only 50m/64Mi)',
        'Deployment spec.template.spec.volumes[0].emptyDir: is not supported on Sealos; use a volume claim',
        'Deployment spec.template.spec.containers[0].env[0].value: references $(PG_USERNAME) before it is declared; declare it earlier in env',
        'Job spec.template.spec.containers[0].resources.requests.memory: must be set (the namespace default is only 50m/64Mi)',
      ]),
    );
  });

  it('refuses leftover expressions, duplicates and kinds it does not know', async () => {
    const p = await problemsAfter((l) => {
      find(l, 'Service').metadata.annotations = { note: '${{ inputs.X }}' };
      l.push(structuredClone(find(l, 'Service')));
      l.push({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    });
    expect(p).toContain('Service metadata.annotations.note: still contains a ${{ }} expression; instantiate the template first');
    expect(p.some((x) => /duplicates document #\d+/.test(x))).toBe(true);
    expect(p).toContain('Widget apiVersion: example.com/v1/Widget is not a kind this tool can validate or deploy');
  });

  it('throws TEMPLATE_INVALID naming the document index, kind, name and field, never a value', async () => {
    const list = objects();
    const marker = 'MARKER-value-4410';
    const dep = find(list, 'Deployment');
    dep.spec.replicas = marker;
    dep.spec.template.spec.containers[0].ports[0].containerPort = marker;
    const err = await catchAsync(() => validateResources(list));
    expect(err.code).toBe('TEMPLATE_INVALID');
    const index = list.indexOf(dep);
    expect(err.message).toContain(`#${index} Deployment ${APP}: spec.replicas: must be integer`);
    expect(JSON.stringify(err.toJSON())).not.toContain(marker);
  });
});
