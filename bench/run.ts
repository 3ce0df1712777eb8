// `npm run bench`: every benchmark with its target; exits 1 when a target is missed.
import { benchAnalysis } from './analysis.js';
import { benchMcpColdStart } from './mcp-cold-start.js';
import { benchTruthPass } from './truth-pass.js';

const suites: Array<[string, () => Promise<{ ok: boolean; lines: string[] }>]> = [
  ['analysis', benchAnalysis],
  ['mcp-cold-start', benchMcpColdStart],
  ['truth-pass', benchTruthPass],
];
const only = process.argv[2];
let ok = true;
for (const [name, run] of suites) {
  if (only && only !== name) continue;
  process.stdout.write(`# ${name}\n`);
  const r = await run();
  for (const l of r.lines) process.stdout.write(l + '\n');
  ok &&= r.ok;
}
process.exitCode = ok ? 0 : 1;
