import { join } from 'node:path';

/** Where each artifact lives inside the deployed unit's directory. */
export const ARTIFACTS = {
  dir: '.sealos',
  analysis: '.sealos/analysis.json',
  buildResult: '.sealos/build/build-result.json',
  template: '.sealos/template/index.yaml',
  runtimeTruth: '.sealos/runtime-truth.json',
  rehearsal: '.sealos/rehearsal.json',
  state: '.sealos/state.json',
  runbook: '.sealos/RUNBOOK.md',
  config: '.sealos/config.json',
} as const;

export function artifactPath(unitDir: string, key: keyof typeof ARTIFACTS): string {
  return join(unitDir, ARTIFACTS[key]);
}
