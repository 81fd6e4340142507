/**
 * `npm run deployments:metrics -- <console.sqlite>`: every deployment's
 * metrics computed from the console's journal alone (not its projection
 * tables), one JSON line per deployment. Exit 1 when the journal does not fold
 * through the deployment rules, 2 when used wrongly.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { deploymentsFromJournal, type JournalEventLike } from '../../shared/deployments/metrics.ts';
import { deploymentMetrics } from '../../shared/deployments/timeline.ts';

const USAGE = 'usage: npm run deployments:metrics -- <console database .sqlite>\n';

/** The journal's deployment events, in seq order, as they were hashed. */
export function readDeploymentJournal(file: string): JournalEventLike[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const bodies = db
      .prepare("SELECT body FROM journal WHERE type LIKE 'deployment.%' ORDER BY seq")
      .pluck()
      .all() as string[];
    return bodies.map((b) => JSON.parse(b) as JournalEventLike);
  } finally {
    db.close();
  }
}

function main(args: string[]): number {
  const files = args.filter((a) => a !== '--');
  if (files.length !== 1 || files[0] === '--help' || files[0] === '-h' || !existsSync(files[0]!)) {
    process.stderr.write(USAGE);
    return 2;
  }
  try {
    for (const [deploymentId, state] of deploymentsFromJournal(readDeploymentJournal(files[0]!))) {
      const line = {
        deploymentId,
        storeId: state.plan.storeId,
        releaseId: state.plan.releaseId,
        status: state.status,
        ...deploymentMetrics(state),
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (process.argv[1]?.endsWith('metricsCli.ts')) process.exitCode = main(process.argv.slice(2));
