import type { Command } from '../command.js';
import { analyzeCommand } from './analyze.js';
import { buildCommand } from './build.js';
import { deployCommand } from './deploy.js';
import { loginCommand } from './login.js';
import { mcpCommand } from './mcp.js';
import { preflightCommand } from './preflight.js';
import { recordCommand } from './record.js';
import { rehearseCommand } from './rehearse.js';
import { renderCommand } from './render.js';
import { rollbackCommand } from './rollback.js';
import { scorecardCommand } from './scorecard.js';
import { statusCommand } from './status.js';
import { verifyCommand } from './verify.js';
import { workspaceCommand } from './workspace.js';

/**
 * Every CLI command, in help order. One file per command in this folder. Each loads its heavy modules
 * (ops, cluster client, analyzer) with `await import()` inside `run`, so `--help` stays cheap
 * (test/unit/cli/startup-imports.test.ts).
 */
export const commands: Command[] = [
  analyzeCommand,
  rehearseCommand,
  buildCommand,
  renderCommand,
  loginCommand,
  workspaceCommand,
  preflightCommand,
  deployCommand,
  verifyCommand,
  recordCommand,
  statusCommand,
  rollbackCommand,
  scorecardCommand,
  mcpCommand,
];
