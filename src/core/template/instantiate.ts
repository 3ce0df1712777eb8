import { randomInt } from 'node:crypto';
import YAML, { isMap, isPair, isScalar, isSeq, LineCounter, type Node as YamlNode } from 'yaml';
import { DeployError } from '../errors.js';
import { expressionError, isSingleExpression, isTruthy, evaluateNode, lineDirective, substitute, type ExprScope } from './expressions.js';
import { DEPLOY_ON_SEALOS_LABEL, type K8sObject } from './labels.js';
import { escapeRegExp } from '../escape-regexp.js';

/**
 * Turns a Sealos template into plain Kubernetes objects, the way the Template provider does
 * (conditionals first, then `${{ }}` substitution; defaults see platform variables only), for applying
 * directly with a kubeconfig. Substitution happens on parsed YAML scalars, so an input value can never
 * add keys or documents to the output.
 */

export interface InstantiateValues {
  namespace: string;
  /** The public app domain (SEALOS_CLOUD_DOMAIN), not the region host. */
  cloudDomain: string;
  certSecretName: string;
  inputs: Record<string, string>;
  /** Fixed default values, e.g. app_name/app_host of a running instance to keep its identity on UPDATE. */
  defaults?: Record<string, string>;
  /** Letters for random(n); lowercase a–z like the platform. Injected by tests for stable output. */
  random?: (length: number) => string;
}

export interface Instantiated {
  objects: K8sObject[];
  appName: string;
  appHost: string;
  /** The App CR URL, else https://<first Ingress host>; null when nothing is public. */
  url: string | null;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export function randomLetters(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += LETTERS[randomInt(LETTERS.length)];
  return s;
}

function invalid(message: string, details?: Record<string, unknown>): DeployError {
  return new DeployError('TEMPLATE_INVALID', message, 'Fix .sealos/template/index.yaml (or re-run sealos-deploy render) and try again.', details);
}

interface Segment {
  startLine: number; // 1-based line of the segment's first line
  lines: string[];
}

function segments(lines: string[]): Segment[] {
  const out: Segment[] = [];
  let cur: Segment = { startLine: 1, lines: [] };
  lines.forEach((l, i) => {
    if (/^---\s*$/.test(l)) {
      out.push(cur);
      cur = { startLine: i + 2, lines: [] };
    } else cur.lines.push(l);
  });
  out.push(cur);
  return out;
}

function hasContent(seg: Segment): boolean {
  return seg.lines.some((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** Blanks out lines excluded by if/elif/else/endif blocks and the directive lines themselves (line numbers stay). */
function applyConditionals(lines: string[], firstLine: number, scope: ExprScope): string[] {
  interface Frame {
    line: number;
    parentActive: boolean;
    taken: boolean;
    active: boolean;
    sawElse: boolean;
  }
  const stack: Frame[] = [];
  const out: string[] = [];
  const active = () => (stack.length === 0 ? true : (stack[stack.length - 1] as Frame).active);
  lines.forEach((text, idx) => {
    const line = firstLine + idx;
    const d = lineDirective(text, line);
    if (!d) {
      out.push(active() ? text : '');
      return;
    }
    out.push('');
    const top = stack[stack.length - 1];
    const cond = (): boolean => ('cond' in d ? isTruthy(evaluateNode(d.cond, scope, text.trim(), line)) : false);
    if (d.kind === 'if') {
      const parentActive = active();
      const taken = parentActive && cond();
      stack.push({ line, parentActive, taken, active: taken, sawElse: false });
      return;
    }
    if (!top) throw expressionError(line, text.trim(), `${d.kind}() without a matching if()`);
    if (d.kind === 'endif') {
      stack.pop();
      return;
    }
    if (top.sawElse) throw expressionError(line, text.trim(), `${d.kind}() after else()`);
    if (d.kind === 'elif') {
      const now = top.parentActive && !top.taken && cond();
      top.active = now;
      top.taken ||= now;
      return;
    }
    top.sawElse = true;
    top.active = top.parentActive && !top.taken;
    top.taken = true;
  });
  const open = stack[stack.length - 1];
  if (open) throw expressionError(open.line, 'if(...)', 'the if() block is never closed with endif()');
  return out;
}

/** Substitutes every scalar (keys included) of a parsed document in place. */
function substituteNode(node: YamlNode | null | undefined, scope: ExprScope, lc: LineCounter): void {
  if (!node) return;
  if (isScalar(node)) {
    if (typeof node.value !== 'string' || !node.value.includes('${{')) return;
    const line = lc.linePos(node.range?.[0] ?? 0).line;
    const whole = isSingleExpression(node.value) && node.type === 'PLAIN';
    const out = substitute(node.value, scope, line);
    // Text substitution on the platform turns `replicas: ${{ inputs.N }}` into a number; keep that meaning.
    if (whole && /^-?[0-9]+(\.[0-9]+)?$/.test(out)) node.value = Number(out);
    else if (whole && (out === 'true' || out === 'false')) node.value = out === 'true';
    else node.value = out;
    return;
  }
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      if (isPair(item)) {
        substituteNode(item.key as YamlNode, scope, lc);
        substituteNode(item.value as YamlNode, scope, lc);
      } else substituteNode(item as YamlNode, scope, lc);
    }
  }
}

function parseYaml(text: string, lc: LineCounter): YAML.Document.Parsed[] {
  const docs = YAML.parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) {
    const e = d.errors[0];
    if (e) {
      const line = lc.linePos(e.pos[0]).line;
      throw invalid(`Line ${line}: the template is not valid YAML (${e.code}).`, { line });
    }
  }
  return list as YAML.Document.Parsed[];
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function instantiate(templateYaml: string, values: InstantiateValues): Instantiated {
  const lines = templateYaml.replace(/\r\n/g, '\n').split('\n');
  const segs = segments(lines);
  const firstIdx = segs.findIndex(hasContent);
  const first = segs[firstIdx];
  if (!first) throw invalid('The template is empty.');
  first.lines.forEach((l, i) => {
    if (lineDirective(l, first.startLine + i)) {
      throw expressionError(first.startLine + i, l.trim(), 'the Template document cannot use conditional rendering (if/elif/else/endif)');
    }
  });

  const lc0 = new LineCounter();
  const headText = '\n'.repeat(first.startLine - 1) + first.lines.join('\n');
  const template = asRecord((parseYaml(headText, lc0)[0] as YAML.Document.Parsed).toJS());
  if (!template || template.kind !== 'Template' || template.apiVersion !== 'app.sealos.io/v1') {
    throw invalid('The first document must be an app.sealos.io/v1 Template.');
  }
  const metaName = str(asRecord(template.metadata)?.name);
  if (!metaName || metaName.includes('${{')) throw invalid('Template metadata.name must be a fixed lowercase name without variables.');
  const spec = asRecord(template.spec) ?? {};
  const rawDefaults = asRecord(spec.defaults) ?? {};
  const rawInputs = asRecord(spec.inputs) ?? {};
  if (!('app_name' in rawDefaults)) throw invalid('Template spec.defaults must have app_name.');

  const vars = new Map<string, string>([
    ['SEALOS_NAMESPACE', values.namespace],
    ['SEALOS_CLOUD_DOMAIN', values.cloudDomain],
    ['SEALOS_CERT_SECRET_NAME', values.certSecretName],
    ['SEALOS_SERVICE_ACCOUNT', values.namespace.replace(/^ns-/, '')],
  ]);
  const random = values.random ?? randomLetters;
  const lineOfKey = (key: string): number => {
    const idx = first.lines.findIndex((l) => new RegExp(`^\\s+${escapeRegExp(key)}:`).test(l));
    return idx >= 0 ? first.startLine + idx : first.startLine;
  };

  // Defaults see platform variables only (the provider evaluates them before anything else).
  const defaults = new Map<string, string>();
  const platformOnly: ExprScope = { defaults: new Map(), inputs: new Map(), vars, random };
  for (const [key, def] of Object.entries(rawDefaults)) {
    const fixed = values.defaults?.[key];
    if (fixed !== undefined) {
      defaults.set(key, fixed);
      continue;
    }
    const raw = str(asRecord(def)?.value);
    if (raw === undefined) throw invalid(`Template spec.defaults.${key} needs a value.`);
    defaults.set(key, substitute(raw, platformOnly, lineOfKey(key)));
  }

  const inputs = new Map<string, string>();
  const missing: string[] = [];
  const withDefaults: ExprScope = { defaults, inputs: new Map(), vars, random };
  for (const [key, def] of Object.entries(rawInputs)) {
    const d = asRecord(def) ?? {};
    const given = values.inputs[key];
    if (given !== undefined && given !== '') {
      inputs.set(key, given);
      continue;
    }
    const fallback = substitute(str(d.default) ?? '', withDefaults, lineOfKey(key));
    if (fallback === '' && d.required === true) missing.push(key);
    inputs.set(key, fallback);
  }
  if (missing.length > 0) {
    throw new DeployError(
      'INPUT_MISSING',
      `The template needs ${missing.length === 1 ? 'a value' : 'values'} for ${missing.join(', ')}.`,
      'Provide each required input (as a deploy-time input, never in the template file) and try again. If the service runs without one, add its name to "optional_env" in .sealos/config.json, then analyze and render again.',
      { missing },
    );
  }

  const scope: ExprScope = { defaults, inputs, vars, random };
  const restStart = first.startLine + first.lines.length; // the `---` line after the Template
  const restLines = lines.slice(restStart - 1);
  const processed = applyConditionals(restLines, restStart, scope);
  const text = '\n'.repeat(restStart - 1) + processed.join('\n');
  const lc = new LineCounter();
  const appName = defaults.get('app_name') as string;
  const objects: K8sObject[] = [];
  for (const doc of parseYaml(text, lc)) {
    substituteNode(doc.contents as YamlNode, scope, lc);
    const obj = doc.toJS() as unknown;
    if (obj === null || obj === undefined) continue;
    const rec = asRecord(obj);
    const line = lc.linePos(doc.range[0]).line;
    if (!rec || typeof rec.apiVersion !== 'string' || typeof rec.kind !== 'string' || !asRecord(rec.metadata)) {
      throw invalid(`Line ${line}: every document needs apiVersion, kind and metadata.`, { line });
    }
    if (rec.kind === 'Template' || rec.kind === 'Instance') throw invalid(`Line ${line}: only the first document may be a ${rec.kind}.`, { line });
    objects.push(label(rec as K8sObject, appName));
  }
  const appHost = defaults.get('app_host') ?? appName;
  return { objects, appName, appHost, url: publicUrl(objects) };
}

/** Adds the marketplace ownership label (PVCs of StatefulSets too) and stringifies env values like the provider. */
function label(obj: K8sObject, appName: string): K8sObject {
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [DEPLOY_ON_SEALOS_LABEL]: appName };
  const spec = asRecord(obj.spec);
  if (obj.kind === 'StatefulSet' && Array.isArray(spec?.volumeClaimTemplates)) {
    for (const vct of spec.volumeClaimTemplates as Array<{ metadata?: { labels?: Record<string, string> } }>) {
      vct.metadata = { ...(vct.metadata ?? {}), labels: { ...(vct.metadata?.labels ?? {}), [DEPLOY_ON_SEALOS_LABEL]: appName } };
    }
  }
  const podSpec = asRecord(asRecord(asRecord(spec?.template)?.spec));
  for (const list of [podSpec?.containers, podSpec?.initContainers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list as Array<{ env?: Array<{ value?: unknown }> }>) {
      for (const e of c.env ?? []) if (e.value !== undefined && typeof e.value !== 'string') e.value = String(e.value);
    }
  }
  return obj;
}

function publicUrl(objects: K8sObject[]): string | null {
  for (const o of objects) {
    const url = asRecord(asRecord(asRecord(o.spec)?.data))?.url;
    if (o.kind === 'App' && typeof url === 'string') return url;
  }
  for (const o of objects) {
    const host = asRecord((asRecord(o.spec)?.rules as unknown[] | undefined)?.[0])?.host;
    if (o.kind === 'Ingress' && typeof host === 'string') return `https://${host}`;
  }
  return null;
}
