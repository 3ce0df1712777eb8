// Every test process, and every CLI or MCP server a test starts, keeps its caches (compiled code,
// source scans) in a temporary directory, never in the user's ~/.cache.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.SEALOS_DEPLOY_CACHE_DIR ??= mkdtempSync(join(tmpdir(), 'sealos-deploy-test-cache-'));
