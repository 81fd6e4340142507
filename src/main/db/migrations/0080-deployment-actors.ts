import { sql, type Kysely } from 'kysely';

/**
 * Who acted on each deployment (issue 5), kept as a projection so the go /
 * no-go's separation of duties ("the deployer does not sign go") reads an
 * index instead of scanning the journal's deployment events at every signing.
 *
 * `deployment_actors` holds one row per deployment and person who journaled
 * an event of it (planned it, started it, completed a step, recorded a
 * version…). Written in the deployment event's transaction
 * (src/main/deployments/service.ts), rebuilt from the journal
 * (src/main/deployments/rebuild.ts), and filled here from the journal for
 * consoles that already hold deployments.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE deployment_actors (
    deployment_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (deployment_id, user_id)
  ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`INSERT OR IGNORE INTO deployment_actors (deployment_id, user_id)
    SELECT json_extract(body, '$.payload.deploymentId'), actor_user_id FROM journal
    WHERE type LIKE 'deployment.%' AND json_extract(body, '$.payload.deploymentId') IS NOT NULL`.execute(
    db,
  );
}
