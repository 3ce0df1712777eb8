/**
 * Child process for the state integration tests (run with `node --import tsx`).
 *   append <sealosDir> <count> <tag> <noteBytes>   record <count> failed restarts, printing "writing <i>" before each
 *   hold <lockPath> <ms>                           take the state lock, print "locked", hold it for <ms>
 * Exit code 3 with the error code on stderr for a DeployError.
 */
import { systemClock } from '../../../src/core/ports.js';
import { isDeployError } from '../../../src/core/errors.js';
import { recordFailure } from '../../../src/core/state/store.js';
import { acquireFileLock } from '../../../src/system/file-lock.js';
import { nodeStateIo } from '../../../src/system/atomic-file.js';

const [mode, a, b, c, d] = process.argv.slice(2);

async function main(): Promise<void> {
  if (mode === 'append') {
    const io = nodeStateIo({ waitMs: 20_000, pollMs: 5 });
    const count = Number(b);
    const pad = 'x'.repeat(Number(d ?? 0));
    for (let i = 1; i <= count; i++) {
      process.stdout.write(`writing ${i}\n`);
      await recordFailure(a!, { action: 'restart', reason: `${c}-${i}${pad}` }, { io, clock: systemClock });
    }
    process.stdout.write('done\n');
    return;
  }
  if (mode === 'hold') {
    await acquireFileLock(a!, { waitMs: 5_000 });
    process.stdout.write('locked\n');
    await new Promise((r) => setTimeout(r, Number(b)));
    return;
  }
  throw new Error(`unknown mode ${mode}`);
}

main().catch((err: unknown) => {
  if (isDeployError(err)) {
    process.stderr.write(`${err.code}\n`);
    process.exit(3);
  }
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
