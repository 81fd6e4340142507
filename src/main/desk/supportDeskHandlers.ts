/** The `supportDesk:*` channels (src/shared/contract/supportDesk.ts), served by the support desk service. */
import { AppError } from '../../shared/errors.ts';
import type { FeatureHandlers } from '../app/dispatcher.ts';
import type { SupportDeskService } from './supportDesk.ts';

export function createSupportDeskHandlers(
  support: SupportDeskService,
): FeatureHandlers<'supportDesk'> {
  return {
    'supportDesk:reports': (input) => support.reports(input),
    'supportDesk:report': (input) => support.report(input),
    'supportDesk:attachment': (input) => support.attachment(input),
    'supportDesk:requests': (input) => support.requests(input),
    'supportDesk:act': (input, ctx) => {
      // The dispatcher has checked the role; the action names the person signed in here.
      if (!ctx.session) throw new AppError('forbidden', 'Sign in to triage.');
      return support.act(input.action, ctx.session.user.id);
    },
    'supportDesk:views': () => support.views(),
    'supportDesk:saveView': (input) => support.saveView(input),
    'supportDesk:deleteView': (input) => support.deleteView(input),
  };
}
