/**
 * What the release desk puts in the pulled catalog stops deployments on the
 * console: a blocked release starts only with a store manager's emergency
 * bypass (recorded in the start event), and a scheduled window refuses a
 * start before it opens or after it expired. A refusal records nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import type { CatalogChange } from '../../shared/sync/protocol.ts';
import { startTestApp, TECH, type TestApp } from '../app/testSupport.ts';
import { createCatalogApplier } from '../sync/catalogChanges.ts';
import { readReleaseBlocks } from '../releases/catalogParts.ts';
import { createDeploymentsService, type ActionRequest, type Actor } from './service.ts';

const TESS: Actor = { userId: 'u-tess', role: 'technician', storeIds: [] };
const MAYA: Actor = { userId: 'u-maya', role: 'manager', storeIds: [] };
const LILLE = 'st-lil-01';
const START: ActionRequest = {
  type: 'start',
  strategy: 'all_at_once',
  canaryTerminalId: null,
  overrideReason: null,
};

let app: TestApp | null = null;
afterEach(async () => {
  await app?.dispose();
  app = null;
});

async function setup() {
  app = await startTestApp({ signInAs: TECH });
  const a = app;
  const service = createDeploymentsService({ db: a.db, journal: a.journal, now: a.clock.now });
  const pull = (changes: CatalogChange[]) =>
    createCatalogApplier({ now: a.clock.now })(a.db, changes, {
      isFirstPage: false,
      serverUrl: 'http://127.0.0.1:1',
    });
  const journalSize = () =>
    a.db.sqlite.prepare('SELECT count(*) FROM journal').pluck().get() as number;
  return { a, service, pull, journalSize };
}

function refusal(fn: () => unknown): { code: string; refusal: unknown; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError)
      return {
        code: error.code,
        refusal: (error.details as { refusal?: unknown } | undefined)?.refusal,
        message: error.message,
      };
    throw error;
  }
  throw new Error('expected a refusal');
}

const block: CatalogChange = {
  entity: 'releaseBlock',
  op: 'upsert',
  value: {
    releaseId: 'rel-4.4.0',
    reason: 'Receipts print blank',
    blockedAt: '2026-03-10T08:00:00.000Z',
    blockedBy: 'admin-1',
  },
};

describe('release blocks and scheduled windows on the console', () => {
  it('refuses to start a blocked release; a store manager bypasses it with a reason the start event records', async () => {
    const { a, service, pull, journalSize } = await setup();
    const planned = service.plan({ releaseId: 'rel-4.4.0', storeId: LILLE }, TESS);
    pull([block]);
    expect(readReleaseBlocks(a.db).map((b) => b.reason)).toEqual(['Receipts print blank']);
    const before = journalSize();
    const id = planned.plan.deploymentId;
    const refused = refusal(() => service.act(id, START, TESS));
    expect(refused).toMatchObject({ code: 'conflict', refusal: 'release_blocked' });
    expect(refused.message).toContain('blocked by the release desk: Receipts print blank');
    expect(
      refusal(() =>
        service.act(id, { ...START, blockBypassReason: 'Tills down, no fallback' }, TESS),
      ),
    ).toMatchObject({ code: 'forbidden', refusal: 'bypass_needs_manager' });
    expect(
      refusal(() => service.act(id, { ...START, blockBypassReason: 'urgent' }, MAYA)),
    ).toMatchObject({ code: 'invalid_input', refusal: 'reason_required' });
    expect(journalSize()).toBe(before);

    const started = service.act(
      id,
      { ...START, blockBypassReason: 'Every till is down on 4.2.1; 4.4.0 fixes it' },
      MAYA,
    );
    expect(started.status).not.toBe('planned');
    const event = a.db.sqlite
      .prepare("SELECT body FROM journal WHERE type = 'deployment.started'")
      .pluck()
      .get() as string;
    expect(
      (JSON.parse(event) as { payload: { blockBypass: unknown } }).payload.blockBypass,
    ).toEqual({
      reason: 'Every till is down on 4.2.1; 4.4.0 fixes it',
    });
  });

  it('an unblocked release starts again without a bypass', async () => {
    const { service, pull } = await setup();
    pull([block]);
    pull([{ entity: 'releaseBlock', op: 'delete', id: 'rel-4.4.0' }]);
    const planned = service.plan({ releaseId: 'rel-4.4.0', storeId: LILLE }, TESS);
    expect(service.act(planned.plan.deploymentId, START, TESS).status).not.toBe('planned');
  });

  it('refuses a start before the scheduled window opens and after it expired, saying which', async () => {
    const { a, service, pull, journalSize } = await setup();
    // Store time in Lille is UTC+1 in March: the test clock reads 10:00 there.
    pull([
      {
        entity: 'deploymentWindow',
        op: 'upsert',
        value: {
          releaseId: 'rel-4.4.0',
          storeId: LILLE,
          start: '2026-03-10T22:00',
          end: '2026-03-11T04:00',
        },
      },
    ]);
    const planned = service.plan({ releaseId: 'rel-4.4.0', storeId: LILLE }, TESS);
    const before = journalSize();
    const early = refusal(() => service.act(planned.plan.deploymentId, START, TESS));
    expect(early).toMatchObject({ code: 'conflict', refusal: 'window_not_open' });
    expect(early.message).toContain(
      'scheduled from 2026-03-10 22:00 to 2026-03-11 04:00 (store time)',
    );
    a.clock.set('2026-03-11T03:00:00.000Z');
    const late = refusal(() => service.act(planned.plan.deploymentId, START, TESS));
    expect(late).toMatchObject({ code: 'conflict', refusal: 'window_expired' });
    expect(late.message).toContain('expired at 2026-03-11 04:00 (store time)');
    expect(journalSize()).toBe(before);
    a.clock.set('2026-03-10T22:30:00.000Z');
    expect(service.act(planned.plan.deploymentId, START, TESS).status).not.toBe('planned');
  });
});
