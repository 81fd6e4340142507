import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, TECH, type TestApp } from '../app/testSupport.ts';
import { createDeploymentsService, type Actor } from './service.ts';

const TESS: Actor = { userId: 'u-tess', role: 'technician', storeIds: [] };
const ADA: Actor = { userId: 'u-ada', role: 'admin', storeIds: [] };
const LYON = 'st-lyo-01';

let app: TestApp | null = null;
afterEach(async () => {
  await app?.dispose();
  app = null;
});

describe('feature flags on the console', () => {
  it("an approved flag change takes effect for its store only, in the runbook's flags and the store's flags", async () => {
    app = await startTestApp({ signInAs: TECH });
    const service = createDeploymentsService({
      db: app.db,
      journal: app.journal,
      now: app.clock.now,
    });
    const assist = (storeId: string) =>
      service
        .storeFlags({ storeId, releaseId: 'rel-4.4.0' }, TESS)
        .find((f) => f.key === 'assist-mode');
    expect(assist(LYON)).toMatchObject({ value: false, source: 'store' });

    const requested = service.requestChange(
      {
        deviation: {
          kind: 'feature_flag_change',
          storeId: LYON,
          releaseId: 'rel-4.4.0',
          flagKey: 'assist-mode',
          value: true,
        },
        impactNote: 'Assisted checkout on all lanes for the weekend trial',
        risk: 'low',
      },
      TESS,
    );
    // Requested is not yet approved: nothing changes.
    expect(assist(LYON)).toMatchObject({ value: false, source: 'store' });

    service.decideChange({ changeRequestId: requested.id, isApproved: true, note: '' }, ADA);
    expect(assist(LYON)).toMatchObject({
      value: true,
      source: 'change_request',
      changeRequestId: requested.id,
    });
    expect(service.flags('rel-4.4.0', LYON).find((f) => f.key === 'assist-mode')).toMatchObject({
      value: true,
      source: 'change_request',
    });
    // Lille's value is its ring's, untouched by Lyon's change request.
    expect(assist('st-lil-01')).toMatchObject({ value: true, source: 'ring' });
  });
});
