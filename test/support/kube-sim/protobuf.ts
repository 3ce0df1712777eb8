/**
 * Just enough Kubernetes protobuf to read the bodies kubectl's typed clients send as
 * `application/vnd.kubernetes.protobuf` (`kubectl auth can-i`, `kubectl auth whoami`): the
 * `k8s\0` + runtime.Unknown envelope and the self-subject review messages. Anything else is a 415.
 */
import type { Json } from './store.js';
import { unsupportedMediaType } from './status-errors.js';

type Fields = Map<number, Array<Buffer | number>>;

function varint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++]!;
    result += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [result, pos];
    shift += 7;
  }
}

function fields(buf: Buffer): Fields {
  const out: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [key, p1] = varint(buf, pos);
    pos = p1;
    const field = Math.floor(key / 8);
    const wire = key & 7;
    let value: Buffer | number;
    if (wire === 0) [value, pos] = varint(buf, pos);
    else if (wire === 2) {
      const [len, p2] = varint(buf, pos);
      value = buf.subarray(p2, p2 + len);
      pos = p2 + len;
    } else if (wire === 5) {
      value = buf.readUInt32LE(pos);
      pos += 4;
    } else if (wire === 1) {
      value = Number(buf.readBigUInt64LE(pos));
      pos += 8;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

function str(f: Fields, n: number): string | undefined {
  const v = f.get(n)?.[0];
  return Buffer.isBuffer(v) ? v.toString('utf8') : undefined;
}

function msg(f: Fields, n: number): Fields | undefined {
  const v = f.get(n)?.[0];
  return Buffer.isBuffer(v) ? fields(v) : undefined;
}

function strings(f: Fields | undefined, names: Record<number, string>): Json {
  const o: Json = {};
  if (!f) return o;
  for (const [n, name] of Object.entries(names)) {
    const s = str(f, Number(n));
    if (s !== undefined && s !== '') o[name] = s;
  }
  return o;
}

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

export function isProtobuf(contentType: string): boolean {
  return contentType.split(';')[0]!.trim().toLowerCase() === PROTOBUF;
}

/** Decode a protobuf request body into the JSON object it stands for. */
export function decodeProtobuf(raw: Buffer): Json {
  if (raw.length < 4 || raw.subarray(0, 4).toString('latin1') !== 'k8s\0') throw unsupportedMediaType(['application/json', 'application/yaml']);
  const unknown = fields(raw.subarray(4));
  const typeMeta = strings(msg(unknown, 1), { 1: 'apiVersion', 2: 'kind' });
  const bodyBuf = unknown.get(2)?.[0];
  const body = Buffer.isBuffer(bodyBuf) ? fields(bodyBuf) : new Map();
  switch (typeMeta.kind) {
    case 'SelfSubjectAccessReview': {
      const spec = msg(body, 2);
      const out: Json = { ...typeMeta, metadata: {}, spec: {} };
      const ra = spec && msg(spec, 1);
      const nra = spec && msg(spec, 2);
      if (ra) out.spec.resourceAttributes = strings(ra, { 1: 'namespace', 2: 'verb', 3: 'group', 4: 'version', 5: 'resource', 6: 'subresource', 7: 'name' });
      if (nra) out.spec.nonResourceAttributes = strings(nra, { 1: 'path', 2: 'verb' });
      return out;
    }
    case 'SelfSubjectRulesReview':
      return { ...typeMeta, metadata: {}, spec: strings(msg(body, 2), { 1: 'namespace' }) };
    case 'SelfSubjectReview':
      return { ...typeMeta, metadata: {} };
    default:
      throw unsupportedMediaType(['application/json', 'application/yaml']);
  }
}
