/** The image step: plan (reuse or build), Dockerfile generation and lint, tags, registry reuse check, build. */
export { planImage, PLATFORM, GENERATED_MARKER, type ImagePlan, type BuildPlan, type PlanImageInput, type GitFacts, type ReuseAlternative } from './plan.js';
export { buildImage, LOG_TAIL_LINES, type BuildImagePorts, type BuildImageOptions, type ImageWorkTree } from './build.js';
export { checkImageReuse, type ReuseCheck } from './reuse.js';
export { generateDockerfile, STATIC_RUNTIME_IMAGE, type GeneratedDockerfile } from './dockerfile-generate.js';
export { generateDockerignore, minimalDockerignore } from './dockerignore.js';
export { lintDockerfile, lintProblems, type LintFinding, type LintOptions, type LintRuleId, type LintStatus } from './dockerfile-lint.js';
export { parseDockerfile, type ParsedDockerfile, type Instruction, type Stage } from './dockerfile-parse.js';
export { imageTag, imageRefFor, appImageName, registryFromRemote } from './tag.js';
export { parseImageRef, assertDeployableRef, formatImageRef, type ImageRef } from './image-ref.js';
export { readGitFacts } from './git-facts.js';
export type { Docker, DockerStatus, DockerBuildRequest, DockerBuildOutcome } from './docker-port.js';
export type { RegistryClient, RegistryManifest } from './registry-port.js';
