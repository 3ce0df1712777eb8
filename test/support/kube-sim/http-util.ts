/** Small HTTP helpers shared by the simulator's handlers: responses, bodies, query integers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { isProtobuf } from './protobuf.js';
import type { Json } from './store.js';
import { badRequest, unsupportedMediaType } from './status-errors.js';

export function send(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  if (res.headersSent || res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readRaw(req)).toString('utf8');
}

export function parseBody(raw: string, contentType: string): Json {
  if (raw.trim() === '') return undefined;
  if (isProtobuf(contentType)) throw unsupportedMediaType(['application/json', 'application/yaml']);
  try {
    return /yaml/.test(contentType) ? parseYaml(raw) : JSON.parse(raw);
  } catch (e) {
    throw badRequest(`the server rejected our request due to an error in our request: ${(e as Error).message}`);
  }
}

export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid ${name}: ${v}`);
  return n;
}
