export { renderTemplate, STATIC_PORT } from './render.js';
export { instantiate, randomLetters, type Instantiated, type InstantiateValues } from './instantiate.js';
export { validateResources, findResourceProblems, formatProblem, type ResourceProblem } from './validate.js';
export { parseImageRef, assertDeployableImageRef, type ImageRef } from './image-ref.js';
export { TEMPLATE_PATH, templateFile, renderTemplateFile, type TemplateFile } from './write.js';
export type { RenderInputs, RenderResult } from './types.js';
export type { K8sObject } from './labels.js';
export { inputsUnsafeForTextSubstitution } from './input-safety.js';
