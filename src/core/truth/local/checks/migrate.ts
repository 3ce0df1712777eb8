import { join } from 'node:path';
import type { TruthCheck } from '../../runner.js';
import type { LocalRehearsalData } from '../context.js';
import { runStep } from './setup.js';

const MIGRATE_TIMEOUT_MS = 120_000;

/**
 * The migrate step the cluster runs in an init container before the app starts, run here too with the service's
 * environment: on a local database it creates the tables the app then queries (a SQLite file, a DATABASE_URL from
 * --env-file). Optional: with no database here it cannot run, and says why; the app may still start.
 */
export function migrateCheck(command: string | null, after: string): TruthCheck<LocalRehearsalData> {
  return {
    id: 'migrate',
    required: false,
    dependsOn: [after],
    async run({ data, signal }) {
      if (!command) return { status: 'skip', summary: 'no migrate command: the analysis found no migrations to run', skipReason: 'no migrations' };
      // A workspace package's migrations run where they live (`cd ../../packages/db && npm run db:deploy`).
      const m = /^cd\s+(\S+)\s+&&\s+(.+)$/.exec(command);
      // Bounded: a migration waiting on a database this machine does not have must not eat the app's checks.
      return runStep(data, 'migrate', m ? m[2]! : command, m ? join(data.unitDir, m[1]!) : data.unitDir, signal, data.appEnv, MIGRATE_TIMEOUT_MS);
    },
  };
}
