/**
 * The one dispatcher behind every transport (Electron IPC, browser-mode HTTP,
 * tests): unknown channel, bad input, missing session or role each give a
 * typed error and never reach a handler; a handler's AppError crosses as
 * `{code, message}`; anything else is logged and crosses as `internal`.
 */
import type { z } from 'zod';
import {
  contract,
  type Channel,
  type Contract,
  type Feature,
  type FeatureContracts,
  type Session,
} from '../../shared/contract/index.ts';
import type { OutputOf, ParsedInputOf } from '../../shared/contract/define.ts';
import { isOwnRule, ruleIssue } from '../../shared/contract/rules.ts';
import { AppError, type Result } from '../../shared/errors.ts';
import type { Logger } from '../log.ts';

export type CallContext = { session: Session | null };

export type Handlers = {
  [C in Channel]: (
    input: ParsedInputOf<Contract[C]>,
    ctx: CallContext,
  ) => OutputOf<Contract[C]> | Promise<OutputOf<Contract[C]>>;
};

/** The handlers of one feature's channels: its own map in src/main/<feature>/handlers.ts. */
export type FeatureHandlers<F extends Feature> = Pick<
  Handlers,
  keyof FeatureContracts[F] & Channel
>;
/** Every feature's handler map, by feature; combined into one `Handlers` in app/handlers.ts. */
export type FeatureHandlerMaps = { [F in Feature]: FeatureHandlers<F> };

export type Dispatch = (channel: string, input: unknown) => Promise<Result<unknown>>;

export function createDispatcher(options: {
  handlers: Handlers;
  getSession: () => Session | null;
  log: Logger;
}): Dispatch {
  const { handlers, getSession, log } = options;
  return async function dispatch(channel, input) {
    try {
      if (!Object.hasOwn(contract, channel)) {
        throw new AppError(
          'unknown_channel',
          `There is no call named "${String(channel).slice(0, 80)}".`,
        );
      }
      const spec = contract[channel as Channel];
      const parsed = (spec.input as z.ZodType).safeParse(input);
      if (!parsed.success) {
        throw new AppError('invalid_input', describeIssues(parsed.error), {
          issues: parsed.error.issues.slice(0, 10).map(ruleIssue),
        });
      }
      const session = getSession();
      if (spec.access !== 'public') {
        if (!session) throw new AppError('not_signed_in', 'Sign in to do this.');
        if (spec.access !== 'signedIn' && !spec.access.includes(session.user.role)) {
          throw new AppError('forbidden', `Your role (${session.user.role}) cannot do this.`);
        }
      }
      const handler = handlers[channel as Channel] as (i: unknown, c: CallContext) => unknown;
      const value = await handler(parsed.data, { session });
      return { ok: true, value };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error: error.toTransferable() };
      log.error({ err: error, channel }, 'call failed');
      return {
        ok: false,
        error: { code: 'internal', message: 'Something went wrong. The action was not recorded.' },
      };
    }
  };
}

function describeIssues(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'The input is not valid.';
  // A rule of ours already speaks to the person at the counter, in the words the form shows.
  if (isOwnRule(first)) return first.message;
  const where = first.path.length ? `${first.path.map(String).join('.')}: ` : '';
  return `The input is not valid (${where}${first.message}).`;
}
