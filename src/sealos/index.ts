/** Sealos region APIs: device-grant login, workspaces, region facts, Template API, Launchpad check. */
export { login, type LoginOptions, type LoginResult } from './login.js';
export { listWorkspaces, switchWorkspace, pickWorkspace, type Workspace, type WorkspaceListResult, type SwitchWorkspaceResult } from './workspaces.js';
export { regionFacts, type RegionFacts, type RegionFactsOptions } from './region-facts.js';
export { deliverTemplate, readArgsFile, templateApiError, type DeliverTemplateOptions, type DeliverTemplateResult } from './template-api.js';
export { checkLaunchpad, evaluateLaunchpad, type LaunchpadCheckOptions, type LaunchpadCheckResult, type LaunchpadFindingCode } from './launchpad.js';
export { parseRegion, regionEndpoints, DEFAULT_REGION, KNOWN_REGIONS, ENDPOINTS_ENV, type Region, type RegionEndpoints, type EndpointOverrides } from './region.js';
export { sealosPaths, readAuthFile, type AuthFile, type WorkspaceRef, type SealosPaths } from './home-files.js';
export { verificationText, SEALOS_CLIENT_ID, type VerificationPrompt } from './device-grant.js';
export type { SealosOptions } from './context.js';
