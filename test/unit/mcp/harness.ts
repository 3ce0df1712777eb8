import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { createServer, type ServerOptions } from '../../../src/mcp/server.js';

export interface Connected {
  client: Client;
  close: () => Promise<void>;
}

/** A real SDK client linked in-process to a fresh server; `elicit` makes the client declare elicitation. */
export async function connect(options: ServerOptions = {}, elicit?: (message: string) => ElicitResult): Promise<Connected> {
  const server = createServer(options);
  const client = new Client({ name: 'test', version: '0' }, { capabilities: elicit ? { elicitation: { form: {} } } : {} });
  if (elicit) client.setRequestHandler(ElicitRequestSchema, (req) => elicit(req.params.message));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

export function textOf(result: unknown): string {
  const content = ((result as { content?: unknown }).content ?? []) as { type: string; text?: string }[];
  return content.map((c) => c.text ?? '').join('\n');
}
