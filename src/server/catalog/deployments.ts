/**
 * Runbooks, feature flags and store windows in the server's catalog (issue 5).
 * They travel as catalog changes like checklist templates do; the catalog
 * change log is their storage. Each is checked here against what the consoles
 * check when they merge a pull, so a published part can never make a
 * console's catalog invalid (which would stop its sync).
 *
 * Stores are isolated: store windows are scoped to their store, and a feature
 * flag is published once for every store without store overrides, then once
 * per overridden store carrying that store's override only (a later cursor, so
 * that store's consoles end with their own value and never see another store's).
 *
 * Published by an administrator (admin HTTP API and command line): bad input
 * is refused with every problem named by its field (`PublishRejected`), and
 * nothing is recorded.
 */
import type { Kysely } from 'kysely';
import {
  catalogFeatureFlag,
  catalogRunbook,
  type CatalogFeatureFlag,
  type CatalogRunbook,
} from '../../shared/deployments/runbook.ts';
import { catalogStoreWindows, type StoreWindows } from '../../shared/deployments/windows.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';
import { recordChanges, type ChangeRow } from './service.ts';

type Db = Kysely<ServerSchema>;

/** One problem of a published part: the field (dotted path; "(body)" for the whole part) and what is wrong. */
export type FieldError = { field: string; message: string };

/** Thrown by the publish functions: every problem by field, nothing recorded. The HTTP body carries `fieldErrors`. */
export class PublishRejected extends ServerError {
  readonly fieldErrors: FieldError[];
  constructor(what: string, fieldErrors: FieldError[]) {
    const shown = fieldErrors
      .slice(0, 5)
      .map((e) => `${e.field}: ${e.message}`)
      .join('; ');
    super(
      'invalid_input',
      `${what} was not published: ${fieldErrors.length} problem(s) (${shown}${fieldErrors.length > 5 ? '; …' : ''}).`,
    );
    this.fieldErrors = fieldErrors;
  }
}

type Schema<T> = {
  safeParse(
    v: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
};

/** Parses with a zod schema, reporting every issue by field (parseInput names only the first). */
export function parseFields<T>(schema: Schema<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new PublishRejected(
    what,
    r.error.issues.map((i) => ({
      field: i.path.length > 0 ? i.path.map(String).join('.') : '(body)',
      message: i.message,
    })),
  );
}

/** A feature flag's id in catalog changes. */
function featureFlagId(flag: Pick<CatalogFeatureFlag, 'releaseId' | 'key'>): string {
  return `${flag.releaseId}/${flag.key}`;
}

async function requireRelease(db: Db, releaseId: string, what: string): Promise<void> {
  const release = await db
    .selectFrom('releases')
    .select('id')
    .where('id', '=', releaseId)
    .executeTakeFirst();
  if (!release)
    throw new PublishRejected(what, [
      { field: 'releaseId', message: `release ${releaseId} has not been published` },
    ]);
}

/** `fieldOf` names the field each store id came from. */
async function requireStores(
  db: Db,
  storeIds: readonly string[],
  what: string,
  fieldOf: (storeId: string) => string,
): Promise<void> {
  if (storeIds.length === 0) return;
  const known = new Set(
    (
      await db
        .selectFrom('stores')
        .select('id')
        .where('id', 'in', [...storeIds])
        .execute()
    ).map((s) => s.id),
  );
  const unknown = storeIds.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new PublishRejected(
      what,
      unknown.map((id) => ({ field: fieldOf(id), message: `unknown store ${id}` })),
    );
}

/** A release's runbook (replaces the previous one of that release). Its release and every checklist template it names must be published. */
export async function publishRunbook(
  db: Db,
  input: unknown,
  now: Date,
  /** Checked but held out of the catalog until its revision is approved (revisions/service.ts). */
  options: { isHeld?: boolean } = {},
): Promise<CatalogRunbook> {
  const runbook = parseFields(catalogRunbook, input, 'The runbook');
  await requireRelease(db, runbook.releaseId, `Runbook ${runbook.id}`);
  const templateIds = [
    ...new Set(
      [...runbook.steps, ...runbook.rollbackSteps].flatMap((step) =>
        step.kind === 'checklist' ? [step.templateId] : [],
      ),
    ),
  ];
  if (templateIds.length > 0) {
    const published = new Set(
      (
        await db
          .selectFrom('catalog_changes')
          .select('entity_id')
          .where('entity', '=', 'checklistTemplate')
          .where('op', '=', 'upsert')
          .where('entity_id', 'in', templateIds)
          .execute()
      ).map((r) => r.entity_id),
    );
    const missing: FieldError[] = (['steps', 'rollbackSteps'] as const).flatMap((list) =>
      runbook[list].flatMap((step, i) =>
        step.kind === 'checklist' && !published.has(step.templateId)
          ? [
              {
                field: `${list}.${i}.templateId`,
                message: `checklist template ${step.templateId} is not published`,
              },
            ]
          : [],
      ),
    );
    if (missing.length > 0) throw new PublishRejected(`Runbook ${runbook.id}`, missing);
  }
  if (options.isHeld === true) return runbook;
  await db.transaction().execute((trx) =>
    recordChanges(
      trx,
      [
        {
          entity: 'runbook',
          entity_id: runbook.releaseId,
          op: 'upsert',
          store_id: null,
          value: JSON.stringify(runbook),
        },
      ],
      now,
    ),
  );
  return runbook;
}

/** A release's feature flag (replaces the previous definition of that key). */
export async function publishFeatureFlag(
  db: Db,
  input: unknown,
  now: Date,
): Promise<CatalogFeatureFlag> {
  const flag = parseFields(catalogFeatureFlag, input, 'The feature flag');
  await requireRelease(db, flag.releaseId, `Feature flag ${flag.key}`);
  const overriddenStores = Object.keys(flag.byStore).sort();
  await requireStores(db, overriddenStores, `Feature flag ${flag.key}`, (id) => `byStore.${id}`);
  const id = featureFlagId(flag);
  const rows: ChangeRow[] = [
    // Every store first, without overrides: a store whose override was removed falls back to ring and default.
    {
      entity: 'featureFlag',
      entity_id: id,
      op: 'upsert',
      store_id: null,
      value: JSON.stringify({ ...flag, byStore: {} }),
    },
    ...overriddenStores.map((storeId): ChangeRow => ({
      entity: 'featureFlag',
      entity_id: id,
      op: 'upsert',
      store_id: storeId,
      value: JSON.stringify({ ...flag, byStore: { [storeId]: flag.byStore[storeId]! } }),
    })),
  ];
  await db.transaction().execute((trx) => recordChanges(trx, rows, now));
  return flag;
}

/** A store's trading hours and freeze windows (replaces the previous ones); only that store's consoles see them. */
export async function setStoreWindows(db: Db, input: unknown, now: Date): Promise<StoreWindows> {
  const windows = parseFields(catalogStoreWindows, input, 'The store windows');
  await requireStores(db, [windows.storeId], 'The store windows', () => 'storeId');
  await db.transaction().execute((trx) =>
    recordChanges(
      trx,
      [
        {
          entity: 'storeWindows',
          entity_id: windows.storeId,
          op: 'upsert',
          store_id: windows.storeId,
          value: JSON.stringify(windows),
        },
      ],
      now,
    ),
  );
  return windows;
}
