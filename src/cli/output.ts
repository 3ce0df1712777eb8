import type { ErrorPayload } from '../core/errors.js';
import type { CliIo } from './command.js';

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n');
}

export function printError(io: CliIo, err: ErrorPayload, json: boolean): void {
  if (json) {
    printJson(io, { error: err });
    return;
  }
  io.stderr(`error ${err.code}: ${err.message}\n  next: ${err.next}\n${waysOut(err.details)}`);
}

/** Repair options as the CLI prints them (after a STOP, or with a coded error): what to do, then the command. */
export function repairOptionLines(options: ReadonlyArray<{ description: string; command: string }>): string[] {
  return options.flatMap((o) => [`  - ${o.description}`, `      ${o.command}`]);
}

/** The repair options an error carries (a corrupt state.json), spelled out: "run a repair option" alone is no help. */
function waysOut(details: Record<string, unknown> | undefined): string {
  const options = details?.repair_options;
  if (!Array.isArray(options)) return '';
  const lines = repairOptionLines(options.filter((o): o is { description: string; command: string } => typeof o?.description === 'string' && typeof o?.command === 'string'));
  return lines.length ? `  ways out:\n${lines.join('\n')}\n` : '';
}

/** A fixed-width two-or-more column table for human output. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
}
