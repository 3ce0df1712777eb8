import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { openRepoView } from '../../../src/system/repo-view.js';
import { execaRunner } from '../../../src/system/runner.js';
import { mainContainer, roundTrip, type Any } from './helpers.js';

const APPS = join(import.meta.dirname, '../../fixtures/apps');
const fixtures = readdirSync(APPS, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(APPS, d.name, 'expected.json')))
  .map((d) => d.name)
  .sort();

/** Every fixture app, analyzed for real, renders to resources that validate and agree on one port. */
describe('render every fixture app from its real analysis', () => {
  it.each(fixtures)('%s', async (name) => {
    const expected = JSON.parse(readFileSync(join(APPS, name, 'expected.json'), 'utf8')) as { options?: { path?: string } };
    const analysis = analyzeRepo(await openRepoView(join(APPS, name), execaRunner), expected.options ?? {});
    if (analysis.kind === 'not-deployable') {
      // A library, CLI or broken manifest is refused with a coded error, never rendered.
      await expect(roundTrip(analysis)).rejects.toMatchObject({ code: 'NOT_DEPLOYABLE' });
      return;
    }
    const { byKind } = await roundTrip(analysis);
    const workload = [...byKind('Deployment'), ...byKind('StatefulSet')][0];
    expect(workload, 'a workload').toBeDefined();
    if (!workload) return;
    const container = mainContainer(workload);
    const env = Object.fromEntries((container.env ?? []).map((e: Any) => [e.name, e.value ?? e.valueFrom]));
    // Static sites run nginx, not Node: no NODE_ENV, and nginx listens on 8080.
    if (analysis.kind !== 'static') expect(env.NODE_ENV).toBe('production');
    if (analysis.kind === 'worker') {
      expect(byKind('Service')).toEqual([]);
      expect(byKind('Ingress')).toEqual([]);
      return;
    }
    // One port everywhere: container, PORT env, Service, Ingress backend and probes.
    const port = container.ports[0].containerPort as number;
    expect(port).toBe(analysis.kind === 'static' ? 8080 : analysis.port.value);
    const service = byKind('Service')[0] as Any;
    const ingress = byKind('Ingress')[0] as Any;
    expect(service.spec.ports.map((p: Any) => p.targetPort)).toContain(port);
    expect(ingress.spec.rules[0].http.paths[0].backend.service.port.number).toBe(service.spec.ports[0].port);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      const p = container[probe];
      expect(p, probe).toBeDefined();
      expect(p.httpGet?.port ?? p.tcpSocket?.port).toBe(port);
    }
    if (analysis.database.engine === 'postgres') expect(byKind('Cluster')).toHaveLength(1);
  });
});
