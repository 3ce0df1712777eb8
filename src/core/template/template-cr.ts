import type { TemplateInput } from './env.js';
import type { K8sObject } from './labels.js';

export interface TemplateMeta {
  base: string;
  title: string;
  description: string;
  gitRepo: string | null;
  author: string;
  categories: string[];
  inputs: TemplateInput[];
}

/**
 * The Template CR (first document). A private app carries no catalog-only fields: no raw.githubusercontent
 * readme/icon and no zh description, which would 404 or be invented.
 */
export function templateCr(meta: TemplateMeta): K8sObject {
  const spec: Record<string, unknown> = { title: meta.title };
  if (meta.gitRepo) {
    spec.url = meta.gitRepo;
    spec.gitRepo = meta.gitRepo;
  }
  spec.author = meta.author;
  spec.description = meta.description;
  spec.templateType = 'inline';
  spec.locale = 'en';
  spec.categories = meta.categories;
  spec.defaults = {
    app_name: { type: 'string', value: `${meta.base}-\${{ random(8) }}` },
    app_host: { type: 'string', value: `${meta.base}-\${{ random(8) }}` },
  };
  const inputs: Record<string, unknown> = {};
  for (const i of meta.inputs) inputs[i.name] = { description: i.description, type: 'string', default: '', required: true };
  spec.inputs = inputs;
  return { apiVersion: 'app.sealos.io/v1', kind: 'Template', metadata: { name: meta.base }, spec };
}
