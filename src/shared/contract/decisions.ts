/**
 * Decision channels: the go / no-go verdict, the signed decision bound to
 * the results, waivers and evidence it rests on, and the decisions recorded.
 */
import { z } from 'zod';
import { DECISIONS } from '../decisions/signing.ts';
import type { DecisionView, VerdictView } from '../decisions/types.ts';
import { CHANNEL_ACCESS } from './access.ts';
import { base64Image } from './checklists.ts';
import { call } from './define.ts';
import { rule } from './rules.ts';
import { id, pin, reasonText } from './schemas.ts';

/** The drawn (or typed) signature: refused in words when missing, before the image rules. */
const signature = z
  .string()
  .refine((text) => text.length > 0, {
    ...rule('signature_required', 'Sign in the box: draw your signature or type your name.'),
    abort: true,
  })
  .pipe(base64Image('the signature'));

const condition = z
  .string()
  .trim()
  .refine(
    (text) => text.length >= 3 && text.length <= 500,
    rule('condition_length', 'Each condition is 3 to 500 characters long.', {
      minimum: 3,
      maximum: 500,
    }),
  );

/** What `decisions:record` accepts; the decision form validates with it before sending. */
export const decisionRecordInput = z
  .object({
    releaseId: id,
    storeId: id.optional(),
    decision: z.enum(DECISIONS),
    reason: reasonText,
    conditions: z.array(condition).max(20).optional(),
    /** The open risks of the release the signer reviewed and acknowledged; every one must be. */
    acknowledgedRiskIds: z.array(id).max(200).optional(),
    pin,
    signaturePngBase64: signature,
  })
  .strict();

export const decisionsContract = {
  /** The go / no-go verdict for a release at a store, criterion by criterion. storeId defaults to the user's only store. */
  'decisions:verdict': call<VerdictView>()({
    input: z
      .object({
        releaseId: id,
        storeId: id.optional(),
        /** Risks ticked so far: the verdict's risk criterion is judged with them. */
        acknowledgedRiskIds: z.array(id).max(200).optional(),
      })
      .strict(),
    access: 'signedIn',
  }),
  /**
   * The manager signs go / no-go / go with conditions: PIN re-entered, signature
   * drawn (PNG). The event binds the decision to every result, waiver and
   * evidence file it rests on.
   */
  'decisions:record': call<DecisionView>()({
    input: decisionRecordInput,
    access: CHANNEL_ACCESS['decisions:record'],
  }),
  'decisions:list': call<DecisionView[]>()({
    input: z.object({ releaseId: id.optional(), storeId: id.optional() }).strict(),
    access: 'signedIn',
  }),
  /** One decision with its binding status checked now (results, waivers, evidence files re-hashed). */
  'decisions:get': call<DecisionView>()({
    input: z.object({ decisionId: id }).strict(),
    access: 'signedIn',
  }),
} as const;
