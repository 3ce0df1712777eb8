import { readFile } from 'node:fs/promises';
import { DeployError } from '../../core/errors.js';
import { EXIT, type Command } from '../command.js';

const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** `host:port`, `[v6]:port` or a bare port (loopback). */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d+)$/.exec(value) ?? /^()()(\d+)$/.exec(value);
  const port = Number(m?.[3]);
  if (!m || !Number.isInteger(port) || port > 65535) {
    throw new DeployError('USAGE', `--http expects host:port, got "${value}".`, 'Use e.g. --http 127.0.0.1:8787 (or a bare port for loopback).');
  }
  return { host: m[1] || m[2] || '127.0.0.1', port };
}

async function readToken(file: string | undefined, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (file === undefined) return env.SEALOS_DEPLOY_MCP_TOKEN?.trim() || undefined;
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    throw new DeployError('USAGE', `Cannot read the token file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}.`, 'Write the token (e.g. `openssl rand -hex 32`) to that file, readable only by you.');
  }
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

export const mcpCommand: Command = {
  name: 'mcp',
  summary: 'Run the MCP server (stdio, or Streamable HTTP with --http)',
  usage: [
    'Usage: sealos-deploy mcp [--http host:port] [--read-only] [--namespace ns] [--token-file file]',
    '',
    '  (no --http)        serve MCP on stdin/stdout (what .mcp.json and ~/.codex/config.toml launch)',
    '  --http host:port   serve Streamable HTTP at http://host:port/mcp; loopback unless a token is set',
    '  --read-only        register no tool that changes the cluster or recorded state',
    '  --namespace ns     pin every operation to this Kubernetes namespace',
    '  --token-file file  bearer token for --http (or env SEALOS_DEPLOY_MCP_TOKEN); required off loopback',
  ].join('\n'),
  options: {
    http: { type: 'string' },
    'read-only': { type: 'boolean' },
    namespace: { type: 'string' },
    'token-file': { type: 'string' },
  },
  positionals: 'own',
  async run(values, positionals, io) {
    if (positionals.length > 0) throw new DeployError('USAGE', `mcp takes no positional arguments (got "${positionals.join(' ')}").`, 'Tools take project_dir per call; run `sealos-deploy mcp`.');
    const namespace = values.namespace as string | undefined;
    if (namespace !== undefined && !NAMESPACE.test(namespace)) {
      throw new DeployError('USAGE', `"${namespace}" is not a valid namespace name.`, 'Use the namespace from your kubeconfig context, e.g. ns-abc123.');
    }
    const base = { readOnly: values['read-only'] === true, ...(namespace ? { namespace } : {}), projectDir: io.cwd };
    const tokenFile = values['token-file'] as string | undefined;

    // The server modules load only here, so `sealos-deploy --help` stays fast.
    if (values.http === undefined) {
      if (tokenFile !== undefined) throw new DeployError('USAGE', '--token-file only applies to --http.', 'Drop --token-file, or add --http 127.0.0.1:<port>.');
      const { serveStdio } = await import('../../mcp/stdio.js');
      await serveStdio(base, io.stderr);
      return EXIT.ok;
    }
    const { host, port } = parseListen(values.http as string);
    const token = await readToken(tokenFile, io.env);
    const { serveHttp } = await import('../../mcp/http.js');
    const handle = await serveHttp({ ...base, host, port, ...(token ? { token } : {}) });
    io.stderr(`sealos-deploy MCP server listening on ${handle.url}${token ? ' (bearer token required)' : ''}\n`);
    await waitForSignal();
    await handle.close();
    return EXIT.ok;
  },
};
