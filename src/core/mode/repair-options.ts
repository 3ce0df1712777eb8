/**
 * The three ways out of a STOP or a corrupt state. Commands are CLI spellings; MCP clients map the
 * `id` to the matching tool. Kept in one place so the wording never drifts between callers.
 */
export type RepairId = 'discover' | 'repair-state' | 'fresh-deploy';

export interface RepairOption {
  id: RepairId;
  description: string;
  command: string;
}

export const REPAIR_COMMANDS: Record<RepairId, string> = {
  discover: 'sealos-deploy status --apps',
  // Without --confirm: the command shows the repair and its own next step names --confirm.
  'repair-state': 'sealos-deploy record --repair-from-live',
  'fresh-deploy': 'sealos-deploy deploy --new-instance',
};

export function mismatchRepairOptions(appName: string, namespace: string): RepairOption[] {
  return [
    {
      id: 'discover',
      description: `List the apps in namespace ${namespace} by the label cloud.sealos.io/app-deploy-manager (exact values, never name prefixes) and pick the one this checkout deploys.`,
      command: `${REPAIR_COMMANDS.discover} --namespace ${namespace}`,
    },
    {
      id: 'repair-state',
      description: `Rebuild last_deploy in .sealos/state.json from what is live for ${appName} (workload, image, URL). Shown first, written only after you confirm; history is kept.`,
      command: `${REPAIR_COMMANDS['repair-state']} --app ${appName}`,
    },
    {
      id: 'fresh-deploy',
      description: 'Deploy this checkout as a new instance. The current state.json is kept as a timestamped archive next to it; the old instance keeps running until you delete it.',
      command: REPAIR_COMMANDS['fresh-deploy'],
    },
  ];
}

export function corruptStateRepairOptions(hasValidBackup: boolean): RepairOption[] {
  return [
    {
      id: 'repair-state',
      description: hasValidBackup
        ? 'Fix the listed problem by hand, or restore .sealos/state.json.bak (the previous good version, which validates), or rebuild last_deploy from the live cluster after confirming.'
        : 'Fix the listed problem by hand, or rebuild last_deploy from the live cluster after confirming.',
      command: REPAIR_COMMANDS['repair-state'],
    },
    {
      id: 'discover',
      description: 'List the apps in your namespace by the label cloud.sealos.io/app-deploy-manager to see what is actually deployed.',
      command: REPAIR_COMMANDS.discover,
    },
    {
      id: 'fresh-deploy',
      description: 'Deploy as a new instance; the unreadable state.json is moved aside to a timestamped file, never deleted.',
      command: REPAIR_COMMANDS['fresh-deploy'],
    },
  ];
}
