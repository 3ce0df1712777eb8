import { DeployError } from '../../core/errors.js';

/** Tools whose whole job is to write a `.sealos/` artifact (or run the app) refuse on a read-only server. */
export function refuseReadOnly(readOnly: boolean, tool: string, writes: string): void {
  if (!readOnly) return;
  throw new DeployError('USAGE', `This server runs --read-only, and ${tool} writes ${writes}.`, `Run the sealos-deploy CLI for this step, or restart the MCP server without --read-only.`);
}
