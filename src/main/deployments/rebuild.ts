/**
 * Rebuilds the deployments projection from the journal alone: every
 * deployment and change request event, in seq order, through the shared
 * reducers (src/shared/projection/deployments.ts: the state machine and the
 * change request rules) that the server's read models use too, so the tables
 * after a rebuild equal the tables the console wrote.
 */
import {
  reduceChangeRequestEvent,
  reduceDeploymentEvent,
  type ProjectedEvent,
} from '../../shared/projection/index.ts';
import type { Db } from '../db/open.ts';
import { applyChangesToConsole, consoleView } from '../projection/apply.ts';

type JournalRow = { seq: number; type: string; body: string; hash: string };

export function rebuildDeployments(db: Db): { deployments: number; changeRequests: number } {
  const run = db.sqlite.transaction(() => {
    db.sqlite.exec(
      'DELETE FROM deployments; DELETE FROM change_requests; DELETE FROM deployment_actors;',
    );
    const view = consoleView(db);
    const page = db.sqlite.prepare(
      `SELECT seq, type, body, hash FROM journal
       WHERE (type LIKE 'deployment.%' OR type LIKE 'change_request.%') AND seq > ? ORDER BY seq LIMIT 2000`,
    );
    let after = 0;
    for (;;) {
      const rows = page.all(after) as JournalRow[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.seq;
      for (const row of rows) {
        const event = { ...(JSON.parse(row.body) as ProjectedEvent), hash: row.hash };
        const outcome = row.type.startsWith('change_request.')
          ? reduceChangeRequestEvent(event, view)
          : reduceDeploymentEvent(event, view);
        // The console journals only what its rules accepted: a refusal here means the journal does not match the rules.
        if (outcome.superseded !== null)
          throw new Error(
            `journal event ${row.seq} (${row.type}) is refused by the rules: ${outcome.superseded.reason}`,
          );
        applyChangesToConsole(db, outcome.changes);
      }
    }
    const count = (table: string) =>
      db.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    return { deployments: count('deployments'), changeRequests: count('change_requests') };
  });
  return run.immediate();
}
