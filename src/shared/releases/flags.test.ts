import { describe, expect, it } from 'vitest';
import type { ChangeRequest, Deviation } from '../deployments/changeRequests.ts';
import type { CatalogFeatureFlag } from '../deployments/runbook.ts';
import { effectiveFlagValues } from './flags.ts';

const flags: CatalogFeatureFlag[] = [
  {
    releaseId: 'rel-1',
    key: 'assist-mode',
    description: 'Assisted checkout',
    defaultValue: false,
    byRing: { pilot: true },
    byStore: {},
  },
  {
    releaseId: 'rel-1',
    key: 'new-receipt',
    description: 'New receipt layout',
    defaultValue: false,
    byRing: {},
    byStore: { 'store-a': true },
  },
];
const storeA = { id: 'store-a', ring: 'pilot' as const };

function request(
  id: string,
  status: ChangeRequest['status'],
  deviation: Partial<Extract<Deviation, { kind: 'feature_flag_change' }>>,
  decidedAt = 2_000,
): ChangeRequest {
  return {
    id,
    deviation: {
      kind: 'feature_flag_change',
      storeId: 'store-a',
      releaseId: 'rel-1',
      flagKey: 'assist-mode',
      value: false,
      ...deviation,
    },
    impactNote: 'Turns assisted checkout off in this store only.',
    risk: 'low',
    requestedBy: { userId: 'u-tech', role: 'technician' },
    requestedAt: 1_000,
    status,
    decidedBy: status === 'pending' ? null : { userId: 'u-admin', role: 'admin' },
    decidedAt: status === 'pending' ? null : decidedAt,
    decisionNote: null,
  };
}

function values(requests: ChangeRequest[]) {
  return effectiveFlagValues(flags, 'rel-1', storeA, requests).map((f) => [
    f.key,
    f.value,
    f.source,
    f.changeRequestId,
  ]);
}

describe('effective feature flags', () => {
  it('are the catalog values when no change request was approved', () => {
    expect(values([request('cr-1', 'pending', {}), request('cr-2', 'rejected', {})])).toEqual([
      ['assist-mode', true, 'ring', null],
      ['new-receipt', true, 'store', null],
    ]);
  });

  it('an approved change request overrides the ring and the store value for its store', () => {
    expect(
      values([
        request('cr-1', 'approved', {}),
        request('cr-2', 'approved', { flagKey: 'new-receipt', value: false }),
      ]),
    ).toEqual([
      ['assist-mode', false, 'change_request', 'cr-1'],
      ['new-receipt', false, 'change_request', 'cr-2'],
    ]);
  });

  it("another store's, another release's or an unknown flag's approval changes nothing", () => {
    expect(
      values([
        request('cr-1', 'approved', { storeId: 'store-b' }),
        request('cr-2', 'approved', { releaseId: 'rel-2' }),
        request('cr-3', 'approved', { flagKey: 'gone-flag', value: true }),
      ]),
    ).toEqual([
      ['assist-mode', true, 'ring', null],
      ['new-receipt', true, 'store', null],
    ]);
  });

  it('the request decided last wins, whatever the order they are given in', () => {
    const first = request('cr-9', 'approved', { value: false }, 2_000);
    const last = request('cr-1', 'approved', { value: true }, 3_000);
    expect(values([first, last])[0]).toEqual(['assist-mode', true, 'change_request', 'cr-1']);
    expect(values([last, first])[0]).toEqual(['assist-mode', true, 'change_request', 'cr-1']);
  });

  it('other kinds of change request are ignored', () => {
    const other: ChangeRequest = {
      ...request('cr-1', 'approved', {}),
      deviation: { kind: 'release_not_approved_for_ring', storeId: 'store-a', releaseId: 'rel-1' },
    };
    expect(values([other])[0]).toEqual(['assist-mode', true, 'ring', null]);
  });
});
