import { z } from 'zod';
import type { ModeDecision } from '../../core/mode/decide.js';

/** The tool call that carries out each repair option (the core names CLI commands). */
const TOOL_CALL: Record<string, string> = {
  discover: 'status with apps: true',
  'repair-state': 'record_state with repair_from_live: true',
  'fresh-deploy': 'deploy with new_instance: true',
};

export const RepairOptionView = z.object({ id: z.string(), description: z.string(), tool_call: z.string(), command: z.string() });
export const MismatchView = z.object({ field: z.string(), recorded: z.string().nullable(), live: z.string().nullable() });

export function repairOptions(decision: ModeDecision): Array<z.infer<typeof RepairOptionView>> {
  return decision.repair_options.map((o) => ({ id: o.id, description: o.description, tool_call: TOOL_CALL[o.id] ?? o.command, command: o.command }));
}

export function stopSummary(decision: ModeDecision): string {
  return [
    'STOP: the live cluster does not match .sealos/state.json; nothing was changed.',
    ...decision.reasons,
    ...decision.mismatches.map((m) => `mismatch ${m.field}: recorded ${m.recorded ?? '(none)'}, live ${m.live ?? '(none)'}`),
    `Ask the user to choose: ${repairOptions(decision).map((o) => `${o.id} (${o.tool_call})`).join('; ')}.`,
  ].join('\n');
}
