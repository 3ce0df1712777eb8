/**
 * metav1.Status errors shaped exactly like the API server's, so clients that parse
 * `reason`, `details` and `code` behave the same against the simulator and a real cluster.
 */
import type { ResourceInfo } from './discovery.js';

export interface StatusCause {
  type?: string;
  message?: string;
  field?: string;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[] };
  code: number;
}

/** Thrown by handlers; the server turns it into a Status response. */
export class KubeError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusBody['details'],
  ) {
    super(message);
  }

  toStatus(): StatusBody {
    const body: StatusBody = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) body.details = this.details;
    return body;
  }
}

/** `deployments.apps` or `pods`: how the API server names a resource in messages. */
export function qualified(info: Pick<ResourceInfo, 'group' | 'resource'>): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

function details(info: Pick<ResourceInfo, 'group' | 'resource'>, name?: string): NonNullable<StatusBody['details']> {
  const d: NonNullable<StatusBody['details']> = {};
  if (name !== undefined) d.name = name;
  if (info.group) d.group = info.group;
  d.kind = info.resource;
  return d;
}

export function notFound(info: Pick<ResourceInfo, 'group' | 'resource'>, name: string): KubeError {
  return new KubeError(404, 'NotFound', `${qualified(info)} "${name}" not found`, details(info, name));
}

export function alreadyExists(info: Pick<ResourceInfo, 'group' | 'resource'>, name: string): KubeError {
  return new KubeError(409, 'AlreadyExists', `${qualified(info)} "${name}" already exists`, details(info, name));
}

export function conflict(info: Pick<ResourceInfo, 'group' | 'resource'>, name: string): KubeError {
  return new KubeError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(info)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(info, name),
  );
}

export function forbidden(
  info: Pick<ResourceInfo, 'group' | 'resource'>,
  name: string | undefined,
  user: string,
  verb: string,
  namespace: string | undefined,
  subresource?: string,
): KubeError {
  const subject = name !== undefined ? `${qualified(info)} "${name}"` : qualified(info);
  const resource = subresource ? `${info.resource}/${subresource}` : info.resource;
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  return new KubeError(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${info.group}" ${scope}`,
    details(info, name),
  );
}

/** 422: `Deployment.apps "web" is invalid: <field>: <detail>` with one cause per field error. */
export function invalid(
  info: Pick<ResourceInfo, 'group' | 'kind'>,
  name: string,
  errors: Array<{ field: string; type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueForbidden' | 'FieldValueNotSupported'; message: string }>,
): KubeError {
  const qualifiedKind = info.group ? `${info.kind}.${info.group}` : info.kind;
  const texts = errors.map((e) => `${e.field}: ${e.message}`);
  const summary = texts.length === 1 ? texts[0]! : `[${texts.join(', ')}]`;
  const d: NonNullable<StatusBody['details']> = { name };
  if (info.group) d.group = info.group;
  d.kind = info.kind;
  d.causes = errors.map((e) => ({ reason: e.type, type: e.type, message: e.message, field: e.field }));
  return new KubeError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, d);
}

export function badRequest(message: string): KubeError {
  return new KubeError(400, 'BadRequest', message);
}

export function methodNotAllowed(): KubeError {
  return new KubeError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export function unsupportedMediaType(accepted: string[]): KubeError {
  return new KubeError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

export function unauthorized(): KubeError {
  return new KubeError(401, 'Unauthorized', 'Unauthorized');
}

/** Paths outside any served group-version get the mux's plain-text 404, not a Status. */
export class PageNotFound extends KubeError {
  constructor() {
    super(404, 'NotFound', '404 page not found');
  }
}

export function pageNotFound(): KubeError {
  return new PageNotFound();
}

export function unknownPath(): KubeError {
  return new KubeError(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** Default Status for an injected fault status code. */
export function faultError(code: number, message?: string): KubeError {
  switch (code) {
    case 400:
      return new KubeError(400, 'BadRequest', message ?? 'bad request');
    case 401:
      return unauthorized();
    case 403:
      return new KubeError(403, 'Forbidden', message ?? 'forbidden: injected fault');
    case 404:
      return new KubeError(404, 'NotFound', message ?? 'the server could not find the requested resource', {});
    case 409:
      return new KubeError(409, 'Conflict', message ?? 'Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again');
    case 410:
      return new KubeError(410, 'Expired', message ?? 'too old resource version');
    case 422:
      return new KubeError(422, 'Invalid', message ?? 'invalid');
    case 429:
      return new KubeError(429, 'TooManyRequests', message ?? 'the server has received too many requests and has asked us to try again later', { causes: [] });
    case 500:
      return new KubeError(500, 'InternalError', message ?? 'Internal error occurred: injected fault', { causes: [{ message: message ?? 'injected fault' }] });
    case 503:
      return new KubeError(503, 'ServiceUnavailable', message ?? 'the server is currently unable to handle the request');
    case 504:
      return new KubeError(504, 'Timeout', message ?? 'the server was unable to return a response in the time allotted, but may still be processing the request');
    default:
      return new KubeError(code, code >= 500 ? 'InternalError' : 'BadRequest', message ?? `injected fault ${code}`);
  }
}
