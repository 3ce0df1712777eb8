import type { Connected } from './harness.js';
import { textOf } from './harness.js';

/** Calls a tool and returns its structured output, failing the test with the error text on isError. */
export async function ok<T = Record<string, unknown>>(conn: Connected, name: string, args: Record<string, unknown>): Promise<T> {
  const res = await conn.client.callTool({ name, arguments: args });
  if (res.isError) throw new Error(`${name} failed: ${textOf(res)}`);
  return res.structuredContent as T;
}

/** Calls a tool that must fail and returns its `CODE: message\nnext: …` text. */
export async function fails(conn: Connected, name: string, args: Record<string, unknown>): Promise<string> {
  const res = await conn.client.callTool({ name, arguments: args });
  if (!res.isError) throw new Error(`${name} unexpectedly succeeded: ${JSON.stringify(res.structuredContent)}`);
  return textOf(res);
}

export function planIdOf(text: string): string {
  const id = /"plan_id":"(plan_[0-9a-f-]+)"/.exec(text)?.[1];
  if (!id) throw new Error(`no plan_id in: ${text}`);
  return id;
}
