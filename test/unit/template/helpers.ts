import { expect } from 'vitest';
import type { Analysis } from '../../../src/core/state/analysis-schema.js';
import { instantiate, type Instantiated } from '../../../src/core/template/instantiate.js';
import { renderTemplate } from '../../../src/core/template/render.js';
import type { RenderInputs, RenderResult } from '../../../src/core/template/types.js';
import { findResourceProblems, formatProblem } from '../../../src/core/template/validate.js';
import type { K8sObject } from '../../../src/core/template/labels.js';
import { DeployError } from '../../../src/core/errors.js';

export const IMAGE = 'ghcr.io/acme/demo-api:20260101-abc1234';
export const fixedRandom = (n: number): string => 'q'.repeat(n);
export const platform = { namespace: 'ns-abcd1234', cloudDomain: 'usw-1.sealos.app', certSecretName: 'wildcard-cert' };

/** Renders, instantiates with values for every input, and asserts the objects pass validation. */
export async function roundTrip(
  analysis: Analysis,
  inputs: Partial<RenderInputs> = {},
  inputValues?: Record<string, string>,
): Promise<{ rendered: RenderResult; inst: Instantiated; byKind: (kind: string) => K8sObject[] }> {
  const rendered = renderTemplate(analysis, { image: IMAGE, ...inputs });
  const values = inputValues ?? Object.fromEntries(rendered.inputs.map((n) => [n, `value-of-${n.toLowerCase()}`]));
  const inst = instantiate(rendered.yaml, { ...platform, inputs: values, random: fixedRandom });
  const problems = await findResourceProblems(inst.objects);
  expect(problems.map(formatProblem)).toEqual([]);
  return { rendered, inst, byKind: (kind) => inst.objects.filter((o) => o.kind === kind) };
}

/** Loose accessor for nested manifest fields in assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;

export function podSpec(o: K8sObject): Any {
  return (o as Any).spec.template.spec;
}
export function mainContainer(o: K8sObject): Any {
  return podSpec(o).containers[0];
}
export function envOf(c: Any): Array<{ name: string; value?: string; valueFrom?: Any }> {
  return c.env ?? [];
}

export function catchError(fn: () => unknown): DeployError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DeployError) return err;
    throw err;
  }
  throw new Error('expected a DeployError');
}

export async function catchAsync(fn: () => Promise<unknown>): Promise<DeployError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof DeployError) return err;
    throw err;
  }
  throw new Error('expected a DeployError');
}
