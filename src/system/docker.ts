import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import type { ImageWorkTree } from '../core/image/build.js';
import type { Docker, DockerBuildOutcome, DockerBuildRequest, DockerStatus } from '../core/image/docker-port.js';
import type { Runner } from '../core/ports.js';
import { writeFileAtomic } from './atomic-file.js';
import { makeDirsSync } from './make-dirs.js';

const INSTALL_DOCKER = 'Install Docker Engine or Docker Desktop (https://docs.docker.com/get-docker/), which includes buildx';

/** Docker CLI adapter: every call is an argument array through the Runner; secrets only on stdin. */
export function createDocker(runner: Runner, options: { env?: Record<string, string | undefined> } = {}): Docker {
  const env = options.env;
  return {
    async status(): Promise<DockerStatus> {
      const version = await runner.run('docker', ['version', '--format', 'json'], { env, timeoutMs: 20_000 });
      if (version.notFound) {
        return { ok: false, client: null, server: null, buildx: null, missing: 'docker', problem: `docker is not installed (not found on PATH). ${INSTALL_DOCKER}.` };
      }
      let client: string | null = null;
      let server: string | null = null;
      try {
        const v = JSON.parse(version.stdout.trim().split('\n')[0] ?? '{}') as { Client?: { Version?: string } | null; Server?: { Version?: string } | null };
        client = v.Client?.Version ?? null;
        server = v.Server?.Version ?? null;
      } catch {
        /* older clients print text on errors; the exit code decides below */
      }
      if (version.exitCode !== 0 || !server) {
        const why = (version.stderr.trim().split('\n').pop() ?? '').slice(0, 300);
        return {
          ok: false,
          client,
          server: null,
          buildx: null,
          missing: 'daemon',
          problem: `the Docker daemon is not reachable${why ? ` (${why})` : ''}. Start Docker Desktop or the docker service (sudo systemctl start docker), or set DOCKER_HOST.`,
        };
      }
      const bx = await runner.run('docker', ['buildx', 'version'], { env, timeoutMs: 20_000 });
      if (bx.exitCode !== 0) {
        return { ok: false, client, server, buildx: null, missing: 'buildx', problem: 'docker buildx is not installed. Install the buildx plugin (package docker-buildx-plugin, or Docker Desktop).' };
      }
      const buildx = /v?\d+\.\d+\.\d+[\w.+-]*/.exec(bx.stdout)?.[0] ?? bx.stdout.trim();
      return { ok: true, client, server, buildx, missing: null, problem: null };
    },

    async login(registry, username, password) {
      const r = await runner.run('docker', ['login', registry, '--username', username, '--password-stdin'], { env, input: password, timeoutMs: 60_000 });
      const message = `${r.stdout}\n${r.stderr}`.split(password).join('[REDACTED]').trim();
      return { ok: r.exitCode === 0, message };
    },

    async build(req: DockerBuildRequest): Promise<DockerBuildOutcome> {
      const dir = mkdtempSync(join(tmpdir(), 'sealos-deploy-build-'));
      const metadataFile = join(dir, 'metadata.json');
      try {
        const args = ['buildx', 'build', '--platform', req.platform, '--file', req.dockerfile, '--tag', req.tag];
        for (const [k, v] of Object.entries(req.labels)) args.push('--label', `${k}=${v}`);
        args.push('--metadata-file', metadataFile, '--progress', 'plain', req.push ? '--push' : '--load', req.context);
        const r = await runner.run('docker', args, {
          env,
          timeoutMs: req.timeoutMs ?? 30 * 60_000,
          ...(req.signal ? { signal: req.signal } : {}),
        });
        let digest: string | null = null;
        try {
          const meta = JSON.parse(readFileSync(metadataFile, 'utf8')) as Record<string, unknown>;
          const d = meta['containerimage.digest'];
          digest = typeof d === 'string' && /^sha256:[a-f0-9]{64}$/.test(d) ? d : null;
        } catch {
          /* no metadata file: the build failed before export */
        }
        return {
          ok: r.exitCode === 0 && !r.timedOut,
          exitCode: r.exitCode,
          timedOut: r.timedOut,
          digest,
          log: [r.stdout, r.stderr].filter(Boolean).join('\n'),
          durationMs: r.durationMs,
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The build step's view of the user's repository on disk: never-overwrite creation for generated
 * files (`wx`), temp-file-and-rename for artifacts. Paths are repo-relative and must stay inside.
 */
export function fsImageWorkTree(root: string): ImageWorkTree {
  const inside = (rel: string) => {
    const abs = resolve(root, rel);
    if (abs !== root && !abs.startsWith(root.replace(/\/+$/, '') + sep)) throw new Error(`path escapes the repository: ${rel}`);
    return abs;
  };
  return {
    root,
    exists: (rel) => existsSync(inside(rel)),
    async createNew(rel, text) {
      const abs = inside(rel);
      makeDirsSync(dirname(abs));
      try {
        writeFileSync(abs, text, { flag: 'wx' });
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw err;
      }
    },
    async writeArtifact(rel, text) {
      const abs = inside(rel);
      await writeFileAtomic(abs, text);
    },
  };
}
