import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { DeployError } from '../core/errors.js';
import { artifactPath, type ARTIFACTS } from '../ops/paths.js';
import { capText } from './caps.js';
import { errorText } from './define-tool.js';
import { readPackageText } from './package-files.js';

type ArtifactKey = keyof typeof ARTIFACTS;

/** `.sealos/` artifacts exposed per project: `sealos-deploy://<name>?dir=<absolute project dir>`. */
const ARTIFACT_RESOURCES = [
  { name: 'state', key: 'state', title: 'Deployment state', description: 'Last accepted deploy and bounded history (.sealos/state.json).' },
  { name: 'analysis', key: 'analysis', title: 'Repository analysis', description: 'Facts with evidence and checklist findings (.sealos/analysis.json).' },
  { name: 'runtime-truth', key: 'runtimeTruth', title: 'Runtime Truth Pass report', description: 'Every launch-gate check with evidence and the verdict (.sealos/runtime-truth.json).' },
] as const satisfies readonly { name: string; key: ArtifactKey; title: string; description: string }[];

const DOCS = [
  { name: 'checklist', file: 'skills/sealos-deploy/references/production-checklist.md', title: 'Node.js production checklist for Sealos', description: 'The spec every readiness check maps to.' },
  { name: 'failure-table', file: 'skills/sealos-deploy/references/failure-table.md', title: 'Error codes and failing checks', description: 'Every stable error code and failing check id with cause and fix.' },
] as const;

/** Resources are read on purpose (not on every turn), so they get a larger cap than tool results: ~15k tokens. */
const RESOURCE_MAX_CHARS = 60_000;

export function artifactUri(name: string, dir: string): string {
  return `sealos-deploy://${name}?dir=${encodeURIComponent(dir)}`;
}

async function readArtifact(uri: URL, rawDir: unknown, key: ArtifactKey) {
  const dir = resolve(decodeURIComponent(String(rawDir ?? '')));
  const path = artifactPath(dir, key);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    // Resource reads have no isError form: the coded text travels in the protocol error message.
    throw new Error(
      errorText(new DeployError('ARTIFACT_MISSING', `${path} does not exist.`, `Run the tool that writes it (analyze_repo, runtime_truth_pass or record_state) for ${dir}.`).toJSON()),
    );
  }
  if (text.length <= RESOURCE_MAX_CHARS) return { contents: [{ uri: uri.href, mimeType: 'application/json', text }] };
  // A cut JSON file no longer parses: say so (plain text) and point at the file.
  return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: `${capText(text, RESOURCE_MAX_CHARS)}\n(read ${path} for the full file)` }] };
}

/** `listDir` is where resources/list looks for artifacts: the server's working directory (the user's project in Claude Code). */
export function registerResources(server: McpServer, listDir: string): void {
  for (const artifact of ARTIFACT_RESOURCES) {
    server.registerResource(
      artifact.name,
      new ResourceTemplate(`sealos-deploy://${artifact.name}{?dir}`, {
        list: async () => ({
          resources: existsSync(artifactPath(listDir, artifact.key))
            ? [{ uri: artifactUri(artifact.name, listDir), name: `${artifact.name} (${listDir})`, mimeType: 'application/json' }]
            : [],
        }),
      }),
      { title: artifact.title, description: artifact.description, mimeType: 'application/json' },
      (uri, vars) => readArtifact(uri, vars.dir, artifact.key),
    );
  }
  for (const doc of DOCS) {
    server.registerResource(doc.name, `sealos-deploy://${doc.name}`, { title: doc.title, description: doc.description, mimeType: 'text/markdown' }, async (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'text/markdown', text: await readPackageText(doc.file) }],
    }));
  }
}
