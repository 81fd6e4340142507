import { afterEach, describe, expect, it } from 'vitest';
import { resetAppStore, useAppStore } from './store.ts';

afterEach(resetAppStore);

describe('app store', () => {
  it('a cleared filter field leaves the filter, so equal filters make equal query keys', () => {
    const { setFleetFilter } = useAppStore.getState();
    setFleetFilter({ region: 'North', ring: 'pilot' });
    setFleetFilter({ region: undefined, driftOnly: false });
    expect(useAppStore.getState().fleetFilter).toEqual({ ring: 'pilot' });
  });

  it('clearing filters also clears the clicked cell and the search', () => {
    const s = useAppStore.getState();
    s.setFleetFilter({ model: 'PAX A920' });
    s.setCellSelection({ storeId: 's1', releaseId: 'r1' });
    s.setTerminalSearch('lane 3');
    useAppStore.getState().clearFleetFilter();
    const after = useAppStore.getState();
    expect([after.fleetFilter, after.cellSelection, after.terminalSearch]).toEqual([{}, null, '']);
  });

  it('resets to its first state between tests', () => {
    useAppStore.getState().setTerminalSort({ key: 'serial', desc: true });
    resetAppStore();
    expect(useAppStore.getState().terminalSort).toEqual({ key: 'store', desc: false });
  });
});
