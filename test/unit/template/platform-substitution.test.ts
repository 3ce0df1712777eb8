import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { evaluateExpression, type ExprScope } from '../../../src/core/template/expressions.js';
import { instantiate } from '../../../src/core/template/instantiate.js';
import { renderTemplate } from '../../../src/core/template/render.js';
import { fixedRandom, IMAGE, platform } from './helpers.js';
import { expressPostgres, fastifyPrisma, nextSsr, staticSpa, worker } from './scenarios.js';

/**
 * The Template API substitutes `${{ }}` in the raw text before parsing YAML (reference §1.3/§1.5).
 * Our instantiate works on parsed scalars; both must give the same objects for the templates we render,
 * including input values with YAML-significant characters.
 */
function platformRender(yaml: string, scope: ExprScope): unknown[] {
  const docs = yaml.split(/^---\n/m).slice(1).join('---\n');
  const text = docs.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_m, expr: string) => String(evaluateExpression(expr, scope, 1)));
  return YAML.parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter((o) => o !== null);
}

function withoutInstanceLabel(o: Record<string, Any>): unknown {
  const copy = structuredClone(o);
  delete copy.metadata.labels['cloud.sealos.io/deploy-on-sealos'];
  for (const v of copy.spec?.volumeClaimTemplates ?? []) {
    delete v.metadata.labels['cloud.sealos.io/deploy-on-sealos'];
    if (Object.keys(v.metadata.labels).length === 0) delete v.metadata.labels;
  }
  return copy;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

describe('templates survive the platform raw-text substitution', () => {
  it.each([
    ['express + postgres', expressPostgres],
    ['fastify + prisma', fastifyPrisma],
    ['next', nextSsr],
    ['static', staticSpa],
    ['worker', worker],
  ])('%s', (_name, analysis) => {
    const r = renderTemplate(analysis(), { image: IMAGE, customDomain: analysis === worker ? undefined : 'app.example.com', storage: { mountPath: '/app/data', size: '1Gi' } });
    const tricky = 'p@ss: w0rd # not a comment, {x}, [y], \'q\' & *z';
    const values = Object.fromEntries(r.inputs.map((n) => [n, tricky]));
    const inst = instantiate(r.yaml, { ...platform, inputs: values, defaults: { app_name: 'app-abcdefgh', app_host: 'app-hgfedcba' }, random: fixedRandom });
    const scope: ExprScope = {
      defaults: new Map([
        ['app_name', 'app-abcdefgh'],
        ['app_host', 'app-hgfedcba'],
      ]),
      inputs: new Map(Object.entries(values)),
      vars: new Map([
        ['SEALOS_NAMESPACE', platform.namespace],
        ['SEALOS_CLOUD_DOMAIN', platform.cloudDomain],
        ['SEALOS_CERT_SECRET_NAME', platform.certSecretName],
        ['SEALOS_SERVICE_ACCOUNT', 'abcd1234'],
      ]),
      random: fixedRandom,
    };
    expect(inst.objects.map((o) => withoutInstanceLabel(o as Any))).toEqual(platformRender(r.yaml, scope));
  });
});

describe('inputsUnsafeForTextSubstitution', () => {
  it('names inputs whose values would break a double-quoted scalar, without returning values', async () => {
    const { inputsUnsafeForTextSubstitution } = await import('../../../src/core/template/input-safety.js');
    expect(inputsUnsafeForTextSubstitution({ A: 'plain: ok # fine', B: 'has"quote', C: 'back\\slash', D: 'two\nlines', E: '${{ inputs.A }}' })).toEqual(['B', 'C', 'D', 'E']);
  });
});
