/**
 * API-server defaulting and validation for the kinds the deploy flow writes. Defaulting must be
 * idempotent and identical for Deployments and their ReplicaSet templates, or rollout undo and
 * re-apply would see phantom differences.
 */
import type { ResourceInfo } from './discovery.js';
import type { Json, KObject } from './store.js';
import { isPlainObject } from './patch.js';
import { isQuantity, parseQuantity } from './quantity.js';
import { invalid } from './status-errors.js';

function imagePullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.split('/').pop() ?? '';
  const tag = last.includes(':') ? last.split(':').pop() : undefined;
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: Json): void {
  if (!isPlainObject(p)) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (isPlainObject(p.httpGet)) p.httpGet.scheme ??= 'HTTP';
}

function defaultContainer(c: Json): void {
  if (!isPlainObject(c)) return;
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  if (typeof c.image === 'string') c.imagePullPolicy ??= imagePullPolicy(c.image);
  c.resources ??= {};
  for (const p of Array.isArray(c.ports) ? c.ports : []) if (isPlainObject(p)) p.protocol ??= 'TCP';
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) defaultProbe(c[probe]);
  for (const e of Array.isArray(c.env) ? c.env : []) {
    if (isPlainObject(e?.valueFrom?.fieldRef)) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  }
}

export function defaultPodSpec(spec: Json, restartPolicy = 'Always'): void {
  if (!isPlainObject(spec)) return;
  spec.restartPolicy ??= restartPolicy;
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) defaultContainer(c);
}

/** Go decodes JSON null into zero values, so built-in objects never keep nulls (e.g. template creationTimestamp: null). */
function stripNulls(v: Json): void {
  if (Array.isArray(v)) v.forEach(stripNulls);
  else if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else stripNulls(x);
    }
  }
}

export function applyDefaults(info: ResourceInfo, obj: KObject): void {
  if (!info.crd) stripNulls(obj);
  const spec = obj.spec;
  switch (info.kind) {
    case 'Deployment':
      if (!isPlainObject(spec)) return;
      spec.replicas ??= 1;
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      spec.strategy ??= {};
      spec.strategy.type ??= 'RollingUpdate';
      if (spec.strategy.type === 'RollingUpdate') {
        spec.strategy.rollingUpdate ??= {};
        spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
        spec.strategy.rollingUpdate.maxSurge ??= '25%';
      }
      defaultPodSpec(spec.template?.spec);
      break;
    case 'ReplicaSet':
      if (!isPlainObject(spec)) return;
      spec.replicas ??= 1;
      defaultPodSpec(spec.template?.spec);
      break;
    case 'StatefulSet':
      if (!isPlainObject(spec)) return;
      spec.replicas ??= 1;
      spec.podManagementPolicy ??= 'OrderedReady';
      spec.updateStrategy ??= { type: 'RollingUpdate' };
      if (spec.updateStrategy.type === 'RollingUpdate') spec.updateStrategy.rollingUpdate ??= { partition: 0 };
      spec.revisionHistoryLimit ??= 10;
      spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      defaultPodSpec(spec.template?.spec);
      for (const vct of spec.volumeClaimTemplates ?? []) {
        if (!isPlainObject(vct)) continue;
        vct.apiVersion ??= 'v1';
        vct.kind ??= 'PersistentVolumeClaim';
        if (isPlainObject(vct.spec)) vct.spec.volumeMode ??= 'Filesystem';
      }
      break;
    case 'Job':
      if (!isPlainObject(spec)) return;
      spec.parallelism ??= 1;
      spec.completions ??= 1;
      spec.backoffLimit ??= 6;
      spec.completionMode ??= 'NonIndexed';
      spec.suspend ??= false;
      spec.podReplacementPolicy ??= 'TerminatingOrFailed';
      defaultPodSpec(spec.template?.spec, 'Never');
      break;
    case 'CronJob':
      if (!isPlainObject(spec)) return;
      spec.concurrencyPolicy ??= 'Allow';
      spec.suspend ??= false;
      spec.successfulJobsHistoryLimit ??= 3;
      spec.failedJobsHistoryLimit ??= 1;
      break;
    case 'Pod':
      if (!isPlainObject(spec)) return;
      defaultPodSpec(spec);
      spec.enableServiceLinks ??= true;
      spec.priority ??= 0;
      break;
    case 'Service':
      if (!isPlainObject(spec)) return;
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
      spec.internalTrafficPolicy ??= 'Cluster';
      for (const p of spec.ports ?? []) {
        if (!isPlainObject(p)) continue;
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      break;
    case 'Secret':
      obj.type ??= 'Opaque';
      if (isPlainObject(obj.stringData)) {
        obj.data = { ...(obj.data ?? {}) };
        for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v)).toString('base64');
        delete obj.stringData;
      }
      break;
    case 'PersistentVolumeClaim':
      if (isPlainObject(spec)) spec.volumeMode ??= 'Filesystem';
      break;
    case 'Namespace':
      obj.spec ??= { finalizers: ['kubernetes'] };
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
      break;
  }
}

type FieldError = Parameters<typeof invalid>[2][number];

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const LABEL_NAMED = new Set(['Service', 'Namespace']);

function validateName(info: ResourceInfo, name: string, errs: FieldError[]): void {
  if (LABEL_NAMED.has(info.kind)) {
    if (!DNS1123_LABEL.test(name) || name.length > 63) {
      errs.push({
        field: 'metadata.name',
        type: 'FieldValueInvalid',
        message: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      });
    }
  } else if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
    errs.push({
      field: 'metadata.name',
      type: 'FieldValueInvalid',
      message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    });
  }
}

function validateLabels(labels: Json, field: string, errs: FieldError[]): void {
  if (!isPlainObject(labels)) return;
  for (const [k, v] of Object.entries(labels)) {
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) {
      errs.push({
        field,
        type: 'FieldValueInvalid',
        message: `Invalid value: "${String(v)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      });
    }
    void k;
  }
}

function validatePodSpec(spec: Json, prefix: string, errs: FieldError[]): void {
  const containers = spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    errs.push({ field: `${prefix}.containers`, type: 'FieldValueRequired', message: 'Required value' });
    return;
  }
  const seen = new Set<string>();
  containers.forEach((c: Json, i: number) => {
    const at = `${prefix}.containers[${i}]`;
    if (!c?.name) errs.push({ field: `${at}.name`, type: 'FieldValueRequired', message: 'Required value' });
    else if (seen.has(c.name)) errs.push({ field: `${at}.name`, type: 'FieldValueInvalid', message: `Duplicate value: "${c.name}"` });
    else seen.add(c.name);
    if (!c?.image) errs.push({ field: `${at}.image`, type: 'FieldValueRequired', message: 'Required value' });
    for (const kind of ['limits', 'requests']) {
      for (const [r, q] of Object.entries(c?.resources?.[kind] ?? {})) {
        if (!isQuantity(q)) errs.push({ field: `${at}.resources.${kind}[${r}]`, type: 'FieldValueInvalid', message: `Invalid value: "${String(q)}": must be a valid quantity` });
      }
    }
    const limits = c?.resources?.limits ?? {};
    const requests = c?.resources?.requests ?? {};
    for (const r of Object.keys(requests)) {
      if (limits[r] !== undefined && isQuantity(limits[r]) && isQuantity(requests[r])) {
        if (parseQuantity(requests[r]) > parseQuantity(limits[r])) {
          errs.push({ field: `${at}.resources.requests`, type: 'FieldValueInvalid', message: `Invalid value: "${requests[r]}": must be less than or equal to ${r} limit of ${limits[r]}` });
        }
      }
    }
  });
}

/** Throws a 422 Invalid with per-field causes. `previous` enables immutability checks on update. */
export function validate(info: ResourceInfo, obj: KObject, previous?: KObject): void {
  const errs: FieldError[] = [];
  const name: string = obj.metadata?.name ?? '';
  if (!name) errs.push({ field: 'metadata.name', type: 'FieldValueRequired', message: 'Required value: name or generateName is required' });
  else validateName(info, name, errs);
  validateLabels(obj.metadata?.labels, 'metadata.labels', errs);
  const spec = obj.spec;
  if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(info.kind)) {
    if (!isPlainObject(spec?.selector) || (!spec.selector.matchLabels && !spec.selector.matchExpressions)) {
      errs.push({ field: 'spec.selector', type: 'FieldValueRequired', message: 'Required value' });
    } else {
      const labels = spec.template?.metadata?.labels ?? {};
      const ok = Object.entries(spec.selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
      if (!ok) {
        const shown = Object.entries(labels).map(([k, v]) => `"${k}":"${String(v)}"`).join(', ');
        errs.push({ field: 'spec.template.metadata.labels', type: 'FieldValueInvalid', message: `Invalid value: map[string]string{${shown}}: \`selector\` does not match template \`labels\`` });
      }
    }
    if (typeof spec?.replicas === 'number' && spec.replicas < 0) {
      errs.push({ field: 'spec.replicas', type: 'FieldValueInvalid', message: `Invalid value: ${spec.replicas}: must be greater than or equal to 0` });
    }
    validateLabels(spec?.template?.metadata?.labels, 'spec.template.metadata.labels', errs);
    validatePodSpec(spec?.template?.spec, 'spec.template.spec', errs);
    if (previous && JSON.stringify(previous.spec?.selector) !== JSON.stringify(spec?.selector)) {
      errs.push({ field: 'spec.selector', type: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(spec?.selector)}: field is immutable` });
    }
  }
  if (info.kind === 'Job') {
    validatePodSpec(spec?.template?.spec, 'spec.template.spec', errs);
    const rp = spec?.template?.spec?.restartPolicy;
    if (rp !== 'Never' && rp !== 'OnFailure') {
      errs.push({ field: 'spec.template.spec.restartPolicy', type: 'FieldValueNotSupported', message: `Unsupported value: "${String(rp)}": supported values: "OnFailure", "Never"` });
    }
  }
  if (info.kind === 'Pod') validatePodSpec(spec, 'spec', errs);
  if (info.kind === 'Service') {
    for (const [i, p] of (spec?.ports ?? []).entries()) {
      if (typeof p?.port !== 'number' || p.port < 1 || p.port > 65535) {
        errs.push({ field: `spec.ports[${i}].port`, type: 'FieldValueInvalid', message: `Invalid value: ${String(p?.port)}: must be between 1 and 65535, inclusive` });
      }
    }
  }
  if (errs.length > 0) throw invalid(info, name, errs);
}
