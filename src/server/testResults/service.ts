/**
 * A release candidate's automated test results: a JUnit XML report imported
 * by an administrator (API or command line), read strictly (a malformed
 * report is refused with where and why, and nothing is stored), kept per
 * release (the latest import replaces the previous one) and published in the
 * catalog pull as a summary every console receives.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  importTestResultsRequest,
  parseJUnitXml,
  testResultsParams,
  testResultsSummary,
  type DeskTestResults,
  type TestResultsSummary,
} from '../../shared/releases/testResults.ts';
import { recordChanges } from '../catalog/service.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError, parseInput } from '../errors.ts';
import type { DeskPrincipal } from '../desk/queries.ts';

type Db = Kysely<ServerSchema>;

export async function importTestResults(
  db: Db,
  params: unknown,
  body: unknown,
  now: Date,
): Promise<TestResultsSummary> {
  const { releaseId } = parseInput(testResultsParams, params, 'The release');
  const { xml } = parseInput(importTestResultsRequest, body, 'The test results');
  const parsed = parseJUnitXml(xml);
  if (!parsed.ok) throw new ServerError('invalid_input', `${parsed.message} Nothing was stored.`);
  const summary = testResultsSummary.parse({
    releaseId,
    ...parsed.summary,
    sha256: createHash('sha256').update(xml, 'utf8').digest('hex'),
    importedAt: now.toISOString(),
  });
  await db.transaction().execute(async (trx) => {
    const release = await trx
      .selectFrom('releases')
      .select('id')
      .where('id', '=', releaseId)
      .executeTakeFirst();
    if (!release)
      throw new ServerError(
        'not_found',
        `Release ${releaseId} has not been published; publish it before importing its test results. Nothing was stored.`,
      );
    const row = {
      release_id: releaseId,
      summary: JSON.stringify(summary),
      xml,
      imported_at: summary.importedAt,
    };
    await trx
      .insertInto('release_test_results')
      .values(row)
      .onConflict((oc) =>
        oc.column('release_id').doUpdateSet({
          summary: row.summary,
          xml: row.xml,
          imported_at: row.imported_at,
        }),
      )
      .execute();
    await recordChanges(
      trx,
      [
        {
          entity: 'testResults',
          entity_id: releaseId,
          op: 'upsert',
          store_id: null,
          value: JSON.stringify(summary),
        },
      ],
      now,
    );
  });
  return summary;
}

/** What the central log records of an import (`admin.testResults.imported`): the report's hash and counts, not its text. */
export function testResultsPayload(summary: TestResultsSummary): {
  releaseId: string;
  sha256: string;
  total: number;
  failed: number;
  skipped: number;
} {
  return {
    releaseId: summary.releaseId,
    sha256: summary.sha256,
    total: summary.total,
    failed: summary.failed,
    skipped: summary.skipped,
  };
}

async function readTestResults(db: Db, releaseId: string): Promise<TestResultsSummary | null> {
  const row = await db
    .selectFrom('release_test_results')
    .select('summary')
    .where('release_id', '=', releaseId)
    .executeTakeFirst();
  return row ? (JSON.parse(row.summary) as TestResultsSummary) : null;
}

/** The desk's read: any desk may see a release's results (they name no store). */
export async function deskTestResults(
  db: Db,
  _principal: DeskPrincipal,
  params: unknown,
  now: Date,
): Promise<DeskTestResults> {
  const { releaseId } = parseInput(testResultsParams, params, 'The release');
  return { releaseId, summary: await readTestResults(db, releaseId), asOf: now.toISOString() };
}
