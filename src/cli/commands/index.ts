import type { Command } from '../command.js';
import { analyzeCommand } from './analyze.js';
import { buildCommand } from './build.js';
import { loginCommand } from './login.js';
import { mcpCommand } from './mcp.js';
import { rehearseCommand } from './rehearse.js';
import { renderCommand } from './render.js';
import { scorecardCommand } from './scorecard.js';
import { workspaceCommand } from './workspace.js';

/** Every CLI command, in help order. One file per command in this folder. */
export const commands: Command[] = [analyzeCommand, rehearseCommand, buildCommand, renderCommand, scorecardCommand, loginCommand, workspaceCommand, mcpCommand];
