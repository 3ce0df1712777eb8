import type { PlannedChange } from '../../cluster/plan.js';

/** One line per resource the plan creates or changes (field names only: values can be secrets). */
export function changeLines(changes: PlannedChange[]): string[] {
  return changes
    .filter((c) => c.action !== 'unchanged')
    .map((c) => `${c.action} ${c.kind}/${c.name}${c.changed.length ? `: ${c.changed.slice(0, 8).join(', ')}${c.changed.length > 8 ? `, +${c.changed.length - 8} more` : ''}` : ''}`);
}
