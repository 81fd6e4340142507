/**
 * Change request channels: a deviation (outside the window, a skipped
 * mandatory step, a ring not approved, a flag change) asked for with its
 * impact and risk, and approved or refused by someone else with the right role.
 */
import { z } from 'zod';
import type { ChangeRequest } from '../deployments/changeRequests.ts';
import {
  IMPACT_NOTE_MESSAGE,
  isAcceptedSpan,
  MIN_IMPACT_NOTE,
  RISK_LEVELS,
  TIME_SPAN_MESSAGE,
} from '../deployments/changeRequests.ts';
import { CHANNEL_ACCESS } from './access.ts';
import { call } from './define.ts';
import { rule } from './rules.ts';
import { id } from './schemas.ts';

const epochMs = z.number().int().min(0).max(8_640_000_000_000_000);
const deviationInput = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('deploy_outside_window'),
      storeId: id,
      releaseId: id,
      from: epochMs,
      to: epochMs,
    })
    .strict()
    .refine(isAcceptedSpan, { ...rule('bad_time_span', TIME_SPAN_MESSAGE), path: ['to'] }),
  z
    .object({
      kind: z.literal('skip_mandatory_step'),
      storeId: id,
      releaseId: id,
      deploymentId: id,
      stepId: id,
    })
    .strict(),
  z
    .object({ kind: z.literal('release_not_approved_for_ring'), storeId: id, releaseId: id })
    .strict(),
  z
    .object({
      kind: z.literal('feature_flag_change'),
      storeId: id,
      releaseId: id,
      flagKey: z.string().min(1).max(64),
      value: z.boolean(),
    })
    .strict(),
]);

/** The impact note: the rules' minimum, in the rules' words, so a form shows what the back end would answer. */
const impactNote = z
  .string()
  .max(4_000)
  .refine(
    (text) => text.trim().length >= MIN_IMPACT_NOTE,
    rule('impact_note_required', IMPACT_NOTE_MESSAGE, { minimum: MIN_IMPACT_NOTE }),
  );

/** What `changeRequests:request` accepts; the change request forms validate with it before sending. */
export const changeRequestInput = z
  .object({ deviation: deviationInput, impactNote, risk: z.enum(RISK_LEVELS) })
  .strict();

export const changeRequestsContract = {
  'changeRequests:list': call<ChangeRequest[]>()({
    input: z.object({ storeId: id }).strict(),
    access: 'signedIn',
  }),
  /** Asks for a deviation; it allows nothing until someone else with the right role approves it. */
  'changeRequests:request': call<ChangeRequest>()({
    input: changeRequestInput,
    access: CHANNEL_ACCESS['changeRequests:request'],
  }),
  'changeRequests:decide': call<ChangeRequest>()({
    input: z
      .object({ changeRequestId: id, isApproved: z.boolean(), note: z.string().max(2_000) })
      .strict(),
    access: CHANNEL_ACCESS['changeRequests:decide'],
  }),
} as const;
