import type { Analysis } from '../state/analysis-schema.js';
import { renderTemplate } from './render.js';
import type { RenderInputs, RenderResult } from './types.js';

/** Where the rendered template lives, relative to the project directory. */
export const TEMPLATE_PATH = '.sealos/template/index.yaml';

export interface TemplateFile {
  /** Relative to the project directory (POSIX separators). */
  path: string;
  text: string;
}

/** The file to write for a rendered template; the caller does the (atomic) write. */
export function templateFile(result: Pick<RenderResult, 'yaml'>): TemplateFile {
  return { path: TEMPLATE_PATH, text: result.yaml };
}

/** Renders and returns the file together with the render result. */
export function renderTemplateFile(analysis: Analysis, inputs: RenderInputs): TemplateFile & { result: RenderResult } {
  const result = renderTemplate(analysis, inputs);
  return { ...templateFile(result), result };
}
