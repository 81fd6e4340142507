/**
 * The reason a person gives for a deployment action that cannot be undone
 * (fail a step, abort, abort an intervention, …). One rule, read by the state
 * machine when it refuses and, as a zod schema, by the console's forms before
 * anything is sent: the same words either way.
 */
import { z } from 'zod';
import { rule } from '../contract/rules.ts';

const MAX_REASON = 2_000;

/** What the reason is for, as the refusal says it ("Give a reason to abort."). */
export const REASON_PURPOSES = {
  start: 'override trading hours',
  fail_step: 'record a failed step',
  skip_step: 'skip a step',
  exclude_terminal: 'exclude a terminal',
  roll_back: 'roll back',
  abort: 'abort',
  abort_intervention: 'abort the intervention',
} as const;
export type ReasonPurpose = keyof typeof REASON_PURPOSES;

/** Why `text` is not a reason for `purpose`, in the refusal's words; null when it is one. */
export function reasonProblem(
  text: string,
  purpose: ReasonPurpose,
): { code: 'reason_required' | 'reason_too_long'; message: string } | null {
  if (text.trim().length === 0)
    return { code: 'reason_required', message: `Give a reason to ${REASON_PURPOSES[purpose]}.` };
  if (text.length > MAX_REASON)
    return {
      code: 'reason_too_long',
      message: `Keep the reason under ${MAX_REASON} characters.`,
    };
  return null;
}

/** The same rule as a zod schema, with its code and the action it is for (a translation names it). */
export function reasonSchema(purpose: ReasonPurpose) {
  return z.string().superRefine((text, ctx) => {
    const problem = reasonProblem(text, purpose);
    if (problem !== null)
      ctx.addIssue({
        code: 'custom',
        ...rule(problem.code, problem.message, { action: purpose, maximum: MAX_REASON }),
      });
  });
}
