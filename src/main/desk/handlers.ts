/** The `desk:*` channels (src/shared/contract/desk.ts), served by the desk service. */
import type { deskContract } from '../../shared/contract/desk.ts';
import type { Handlers } from '../app/dispatcher.ts';
import type { DeskService } from './service.ts';

export type DeskChannel = keyof typeof deskContract;
export type DeskHandlers = Pick<Handlers, DeskChannel>;

export function createDeskHandlers(desk: DeskService): DeskHandlers {
  return {
    'desk:connection': () => desk.connection(),
    'desk:connect': (input) => desk.connect(input),
    'desk:refreshStores': (input) => desk.refreshStores(input),
    'desk:stores': (input) => desk.stores(input),
    'desk:storeDetail': (input) => desk.storeDetail(input),
  };
}
