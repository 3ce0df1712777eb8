/**
 * Label selectors (=, ==, !=, in, notin, exists, !key) and field selectors with the
 * per-kind field sets the API server supports; anything else is a 400 like upstream.
 */
import type { KObject } from './store.js';
import { badRequest } from './status-errors.js';

type Requirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

export type LabelSelector = Requirement[];

/** Split on commas that are not inside parentheses. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.'`);
  void selector;
  return key;
}

export function parseLabelSelector(text: string | null | undefined): LabelSelector {
  if (!text) return [];
  const reqs: LabelSelector = [];
  for (const part of splitTop(text)) {
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^(\S+)\s+(in|notin)\s*\((.*)\)$/))) {
      const values = m[3]!.split(',').map((v) => v.trim()).filter((v) => v !== '');
      reqs.push({ op: m[2] as 'in' | 'notin', key: checkKey(m[1]!, text), values });
    } else if ((m = part.match(/^!\s*(\S+)$/))) {
      reqs.push({ op: 'notexists', key: checkKey(m[1]!, text) });
    } else if ((m = part.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/))) {
      reqs.push({ op: m[2] === '!=' ? 'neq' : 'eq', key: checkKey(m[1]!, text), value: m[3]! });
    } else if ((m = part.match(/^([^=!\s()]+)$/))) {
      reqs.push({ op: 'exists', key: checkKey(m[1]!, text) });
    } else {
      throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }
  return reqs;
}

export function matchLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'eq':
        return has && l[r.key] === r.value;
      case 'neq':
        return !has || l[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
    }
  });
}

/** metav1.LabelSelector (matchLabels + matchExpressions) → matcher. */
export function selectorFromSpec(spec: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | undefined): LabelSelector {
  const reqs: LabelSelector = [];
  for (const [key, value] of Object.entries(spec?.matchLabels ?? {})) reqs.push({ op: 'eq', key, value });
  for (const e of spec?.matchExpressions ?? []) {
    if (e.operator === 'In') reqs.push({ op: 'in', key: e.key, values: e.values ?? [] });
    else if (e.operator === 'NotIn') reqs.push({ op: 'notin', key: e.key, values: e.values ?? [] });
    else if (e.operator === 'Exists') reqs.push({ op: 'exists', key: e.key });
    else if (e.operator === 'DoesNotExist') reqs.push({ op: 'notexists', key: e.key });
  }
  return reqs;
}

/** `app=web,tier in (a,b)`: the string form kubectl and Scale.status.selector use. */
export function selectorToString(spec: Parameters<typeof selectorFromSpec>[0]): string {
  return selectorFromSpec(spec)
    .map((r) => {
      switch (r.op) {
        case 'eq':
          return `${r.key}=${r.value}`;
        case 'neq':
          return `${r.key}!=${r.value}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.op} (${r.values.join(',')})`;
        case 'exists':
          return r.key;
        case 'notexists':
          return `!${r.key}`;
      }
    })
    .join(',');
}

// Field selectors ------------------------------------------------------------------------

type FieldGetter = (o: KObject) => string | undefined;

const COMMON: Record<string, FieldGetter> = {
  'metadata.name': (o) => o.metadata?.name,
  'metadata.namespace': (o) => o.metadata?.namespace ?? '',
};

const BY_KIND: Record<string, Record<string, FieldGetter>> = {
  Event: {
    'involvedObject.kind': (o) => o.involvedObject?.kind ?? '',
    'involvedObject.namespace': (o) => o.involvedObject?.namespace ?? '',
    'involvedObject.name': (o) => o.involvedObject?.name ?? '',
    'involvedObject.uid': (o) => o.involvedObject?.uid ?? '',
    'involvedObject.apiVersion': (o) => o.involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': (o) => o.involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath ?? '',
    reason: (o) => o.reason ?? '',
    reportingComponent: (o) => o.reportingComponent ?? '',
    source: (o) => o.source?.component ?? '',
    type: (o) => o.type ?? '',
  },
  Pod: {
    'spec.nodeName': (o) => o.spec?.nodeName ?? '',
    'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
    'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName ?? '',
    'status.phase': (o) => o.status?.phase ?? '',
    'status.podIP': (o) => o.status?.podIP ?? '',
    'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
  },
  Secret: { type: (o) => o.type ?? '' },
  Job: { 'status.successful': (o) => String(o.status?.succeeded ?? 0) },
  ReplicaSet: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
};

export type FieldSelector = Array<{ field: string; neq: boolean; value: string; get: FieldGetter }>;

export function parseFieldSelector(text: string | null | undefined, kind: string): FieldSelector {
  if (!text) return [];
  const out: FieldSelector = [];
  for (const part of splitTop(text)) {
    const m = part.match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const field = m[1]!.trim();
    const get = COMMON[field] ?? BY_KIND[kind]?.[field];
    if (!get) throw badRequest(`field label not supported: ${field}`);
    out.push({ field, neq: m[2] === '!=', value: m[3]!.trim(), get });
  }
  return out;
}

export function matchFields(selector: FieldSelector, obj: KObject): boolean {
  return selector.every((f) => (f.get(obj) === f.value) !== f.neq);
}
