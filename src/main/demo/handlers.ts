/** The `demo:*` channel: loading the demo fleet on a first run. */
import type { SessionStatus } from '../../shared/contract/index.ts';
import type { FeatureHandlers } from '../app/dispatcher.ts';

export function createDemoHandlers(deps: {
  loadDemo: () => void;
  status: () => SessionStatus;
}): FeatureHandlers<'demo'> {
  return {
    'demo:load': () => {
      deps.loadDemo();
      return deps.status();
    },
  };
}
