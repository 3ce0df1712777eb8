import type * as Crypto from 'node:crypto';

/**
 * node:crypto, loaded on first use. Modules on the MCP server's start path (plan ids, report digests)
 * hash only when a tool runs, so `tools/list` is answered without loading it (a few ms per spawn).
 */
export function lazyCrypto(): typeof Crypto {
  return process.getBuiltinModule('node:crypto');
}
