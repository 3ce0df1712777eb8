import { z } from 'zod';

/**
 * The documented fields of each host's manifest (peers-and-sdk.md Part D: Claude Code manifest reference,
 * Codex `RawPluginManifest`, Codex marketplace, Agent Skills spec). Strict: a field a host does not document
 * is a typo or an assumption, and fails the test.
 */

const kebab = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const semver = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
/** Component paths: relative, starting `./`, never leaving the plugin. */
export const pluginPath = z.string().regex(/^\.\//).refine((p) => !p.split('/').includes('..'), 'must not contain ..');
const pathOrPaths = z.union([pluginPath, z.array(pluginPath).min(1)]);

export const ClaudePlugin = z
  .object({
    name: z.string().regex(kebab),
    version: z.string().regex(semver).optional(),
    description: z.string().optional(),
    author: z.union([z.string(), z.object({ name: z.string(), email: z.string().optional(), url: z.string().optional() }).strict()]).optional(),
    homepage: z.url().optional(),
    repository: z.string().optional(),
    license: z.string().optional(),
    keywords: z.array(z.string()).optional(),
    commands: pathOrPaths.optional(),
    agents: pathOrPaths.optional(),
    skills: pathOrPaths.optional(),
    hooks: z.union([pluginPath, z.record(z.string(), z.unknown())]).optional(),
    mcpServers: z.union([pluginPath, z.record(z.string(), z.unknown())]).optional(),
    userConfig: z.record(z.string(), z.unknown()).optional(),
    channels: z.array(z.unknown()).optional(),
  })
  .strict();

export const ClaudeMarketplace = z
  .object({
    name: z.string().regex(kebab).refine((n) => n !== 'claude-plugins-official' && n !== 'agent-skills' && !n.startsWith('anthropic-'), 'reserved name'),
    owner: z.object({ name: z.string().min(1), email: z.string().optional() }).strict(),
    metadata: z.object({ description: z.string().optional(), version: z.string().regex(semver).optional(), pluginRoot: z.string().optional() }).strict().optional(),
    plugins: z
      .array(
        z
          .object({
            name: z.string().regex(kebab),
            source: z.union([pluginPath, z.object({ source: z.string(), repo: z.string().optional(), url: z.string().optional() })]),
            description: z.string().optional(),
            version: z.string().regex(semver).optional(),
            category: z.string().optional(),
            tags: z.array(z.string()).optional(),
            strict: z.boolean().optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export const CodexPlugin = z
  .object({
    name: z.string().regex(kebab),
    version: z.string().regex(semver).optional(),
    description: z.string().optional(),
    skills: pluginPath.optional(),
    mcpServers: pluginPath.optional(),
    apps: pluginPath.optional(),
    interface: z
      .object({
        displayName: z.string().min(1),
        shortDescription: z.string().min(1).optional(),
        longDescription: z.string().optional(),
        developerName: z.string().optional(),
        category: z.string().optional(),
        capabilities: z.array(z.string()).optional(),
        websiteURL: z.url().optional(),
        privacyPolicyURL: z.url().optional(),
        termsOfServiceURL: z.url().optional(),
        defaultPrompt: z.union([z.string().max(128), z.array(z.string().min(1).max(128)).min(1).max(3)]).optional(),
        brandColor: z.string().regex(/^#[0-9A-Fa-f]{6}$/).optional(),
        composerIcon: pluginPath.optional(),
        logo: pluginPath.optional(),
        screenshots: z.array(pluginPath).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const CodexMarketplace = z
  .object({
    name: z.string().regex(kebab),
    interface: z.object({ displayName: z.string().min(1) }).strict().optional(),
    plugins: z
      .array(
        z
          .object({
            name: z.string().regex(kebab),
            // Codex ignores a plugin whose path is the marketplace root itself.
            source: z.object({ source: z.literal('local'), path: pluginPath.refine((p) => p !== './' && p !== '.', 'must not be the root') }).strict(),
            policy: z.object({ installation: z.enum(['AVAILABLE', 'INSTALLED_BY_DEFAULT', 'NOT_AVAILABLE']), authentication: z.enum(['ON_INSTALL', 'ON_USE']) }).strict(),
            category: z.string().optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

/** `.mcp.json` in the wrapper form: Codex reads only `mcpServers` (the flat Claude form yields zero servers there). */
export const McpJson = z
  .object({
    mcpServers: z.record(
      z.string().regex(kebab),
      z
        .object({
          command: z.string().min(1),
          args: z.array(z.string()),
          env: z.record(z.string(), z.string()).optional(),
          env_vars: z.array(z.string()).optional(),
        })
        .strict(),
    ),
  })
  .strict();

/** Agent Skills frontmatter (agentskills spec): only the portable keys. */
export const SkillFrontmatter = z
  .object({
    name: z.string().min(1).max(64).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    description: z.string().min(1).max(1024),
    license: z.string().optional(),
    compatibility: z.string().max(500).optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    'allowed-tools': z.string().optional(),
  })
  .strict();

/** Codex per-skill UI metadata (`agents/openai.yaml`). */
export const OpenAiYaml = z
  .object({
    interface: z
      .object({
        display_name: z.string().min(1),
        short_description: z.string().min(1).max(64),
        icon_small: pluginPath.optional(),
        icon_large: pluginPath.optional(),
        brand_color: z.string().regex(/^#[0-9A-Fa-f]{6}$/).optional(),
        default_prompt: z.string().max(128).optional(),
      })
      .strict(),
    policy: z.object({ allow_implicit_invocation: z.boolean() }).strict().optional(),
    dependencies: z
      .object({
        tools: z.array(
          z
            .object({
              type: z.literal('mcp'),
              value: z.string(),
              description: z.string().optional(),
              transport: z.enum(['stdio', 'streamable_http']).optional(),
              command: z.string().optional(),
              url: z.string().optional(),
            })
            .strict(),
        ),
      })
      .strict()
      .optional(),
  })
  .strict();
