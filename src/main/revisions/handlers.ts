/** The `revisions:*` channels (src/shared/contract/revisions.ts). */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import type { RevisionsService } from './service.ts';

export function createRevisionsHandlers(service: RevisionsService): FeatureHandlers<'revisions'> {
  return {
    'revisions:documents': () => service.documents(),
    'revisions:history': (input) => service.history(input),
    'revisions:deskDocuments': () => service.deskDocuments(),
    'revisions:deskHistory': (input) => service.deskHistory(input),
    'revisions:approve': (input, ctx) => service.approve(ctx, input),
  };
}
