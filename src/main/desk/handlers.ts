/** The `desk:*` channels (src/shared/contract/desk.ts), served by the desk service. */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import { fetchCentralActions } from './centralActions.ts';
import type { DeskService } from './service.ts';

export function createDeskHandlers(desk: DeskService): FeatureHandlers<'desk'> {
  return {
    'desk:connection': () => desk.connection(),
    'desk:connect': (input) => desk.connect(input),
    'desk:refreshStores': (input) => desk.refreshStores(input),
    'desk:stores': (input) => desk.stores(input),
    'desk:storeDetail': (input) => desk.storeDetail(input),
    'desk:testResults': (input) => desk.testResults(input.releaseId),
    'desk:centralActions': (input) => fetchCentralActions(desk, input),
    // The dispatcher has checked the role, so a session is there.
    'desk:assignChecklist': (input, ctx) => desk.assignChecklist(input, ctx.session!.user.id),
  };
}
