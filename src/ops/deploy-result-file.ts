import { resolve } from 'node:path';
import { DeployError } from '../core/errors.js';
import { readTextIfExists } from '../system/atomic-file.js';
import { DEPLOY_RESULT_PATH, DeployResultSchema, type DeployResult } from './deploy-result-schema.js';

/** `.sealos/deploy-result.json` when a deploy wrote one; null when there is none; ARTIFACT_INVALID when it is broken. */
export async function readDeployResultIfAny(dir: string): Promise<DeployResult | null> {
  const path = resolve(dir, DEPLOY_RESULT_PATH);
  const text = await readTextIfExists(path);
  if (text === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new DeployError('ARTIFACT_INVALID', `${path} is not valid JSON: ${(err as Error).message}`, 'Deploy again (never edit it by hand), or delete the file.', { path });
  }
  const parsed = DeployResultSchema.safeParse(raw);
  if (!parsed.success)
    throw new DeployError('ARTIFACT_INVALID', `${path} does not match the deploy-result schema (${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}).`, 'Deploy again (never edit it by hand); verify also works without it when given --app and --image.', { path });
  return parsed.data;
}
