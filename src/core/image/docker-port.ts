/** What the build step needs from Docker; src/system/docker.ts implements it over the Runner. */

export interface DockerStatus {
  ok: boolean;
  client: string | null;
  server: string | null;
  buildx: string | null;
  /** What is missing, in words a user can act on; null when ok. */
  problem: string | null;
  /** Which piece is missing. */
  missing: 'docker' | 'daemon' | 'buildx' | null;
}

export interface DockerBuildRequest {
  /** Absolute build context directory. */
  context: string;
  /** Absolute Dockerfile path. */
  dockerfile: string;
  tag: string;
  platform: string;
  /** Push to the registry (true) or load into the local image store (false). */
  push: boolean;
  labels: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface DockerBuildOutcome {
  ok: boolean;
  exitCode: number | null;
  timedOut: boolean;
  /** `containerimage.digest` from the build metadata file; null when absent. */
  digest: string | null;
  /** Combined build output (BuildKit writes progress to stderr). */
  log: string;
  durationMs: number;
}

export interface Docker {
  status(): Promise<DockerStatus>;
  /** `docker login` with the password on stdin only. */
  login(registry: string, username: string, password: string): Promise<{ ok: boolean; message: string }>;
  build(request: DockerBuildRequest): Promise<DockerBuildOutcome>;
}
