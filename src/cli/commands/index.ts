import type { Command } from '../command.js';

/** Every CLI command, in help order. One file per command in this folder. */
export const commands: Command[] = [];
