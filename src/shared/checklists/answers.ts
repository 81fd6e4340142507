/**
 * What a person answers to one checklist item, and how it is judged. The
 * answer travels in the `checklist.result.recorded` event as given; its
 * outcome (pass / fail / n-a) is derived by `judgeAnswer` from the template,
 * so the same answer is always judged the same way.
 */
import { z } from 'zod';
import { assertNever } from '../errors.ts';
import { PASS_FAIL_VALUES, type AnswerSpec, type ChecklistItem } from './template.ts';

const optionId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);

const SHA256_HEX = /^[0-9a-f]{64}$/;
export const sha256Text = z
  .string()
  .regex(SHA256_HEX, 'must be a SHA-256 (64 lowercase hex characters)');

/** One answer; photo and signature answers carry their files as evidence (sha256) beside the answer. */
export const answer = z.discriminatedUnion('type', [
  z.object({ type: z.literal('passFail'), value: z.enum(PASS_FAIL_VALUES) }).strict(),
  z
    .object({
      type: z.literal('number'),
      value: z
        .number()
        .int('a measured value is a whole number')
        .min(-1_000_000_000)
        .max(1_000_000_000),
    })
    .strict(),
  z
    .object({
      type: z.literal('text'),
      value: z.string().trim().min(1, 'type an answer').max(2000),
    })
    .strict(),
  z.object({ type: z.literal('choice'), optionId }).strict(),
  z.object({ type: z.literal('photo') }).strict(),
  z.object({ type: z.literal('signature') }).strict(),
  /** Could not be tested (printer missing, no card reader): any item may be answered so; it blocks the run. */
  z
    .object({
      type: z.literal('blocked'),
      reason: z.string().trim().min(3, 'say why it could not be tested').max(500),
    })
    .strict(),
]);
export type Answer = z.infer<typeof answer>;

export const OUTCOMES = ['pass', 'fail', 'na', 'blocked'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type Judgement = { ok: true; outcome: Outcome } | { ok: false; message: string };

/**
 * Checks an answer against its item and judges it. Refuses (with a message for
 * the person at the terminal) an answer of the wrong type, a number outside the
 * item's plausible range, an unknown option, text too long, or a photo or
 * signature without its file.
 */
export function judgeAnswer(
  item: Pick<ChecklistItem, 'title' | 'answer'>,
  given: Answer,
  evidenceCount: number,
): Judgement {
  const spec: AnswerSpec = item.answer;
  if (given.type === 'blocked') return { ok: true, outcome: 'blocked' };
  if (spec.type !== given.type) {
    return {
      ok: false,
      message: `"${item.title}" expects ${ANSWER_TYPE_WORDS[spec.type]}, not ${ANSWER_TYPE_WORDS[given.type]}.`,
    };
  }
  switch (given.type) {
    case 'passFail':
      return { ok: true, outcome: given.value };
    case 'number': {
      if (spec.type !== 'number') break;
      if (given.value < spec.min || given.value > spec.max) {
        return {
          ok: false,
          message: `${given.value} ${spec.unit} is outside the plausible range ${spec.min}–${spec.max} ${spec.unit} for "${item.title}". Measure again.`,
        };
      }
      const isMet =
        spec.threshold.op === '<='
          ? given.value <= spec.threshold.value
          : given.value >= spec.threshold.value;
      return { ok: true, outcome: isMet ? 'pass' : 'fail' };
    }
    case 'text':
      if (spec.type !== 'text') break;
      if (given.value.length > spec.maxLength) {
        return {
          ok: false,
          message: `"${item.title}" takes at most ${spec.maxLength} characters.`,
        };
      }
      return { ok: true, outcome: 'pass' };
    case 'choice': {
      if (spec.type !== 'choice') break;
      if (!spec.options.some((o) => o.id === given.optionId)) {
        return {
          ok: false,
          message: `"${given.optionId}" is not one of the choices for "${item.title}".`,
        };
      }
      return {
        ok: true,
        outcome: spec.failingOptionIds.includes(given.optionId) ? 'fail' : 'pass',
      };
    }
    case 'photo':
    case 'signature':
      if (evidenceCount < 1) {
        return {
          ok: false,
          message: `"${item.title}" needs ${given.type === 'photo' ? 'a photo' : 'a drawn signature'}: attach it first.`,
        };
      }
      return { ok: true, outcome: 'pass' };
    default:
      return assertNever(given, 'answer');
  }
  return { ok: false, message: `"${item.title}" expects ${ANSWER_TYPE_WORDS[spec.type]}.` };
}

/** The value a later item's `showWhen` is matched against. */
export function answerKey(given: Answer, outcome: Outcome): string {
  switch (given.type) {
    case 'passFail':
      return given.value;
    case 'choice':
      return given.optionId;
    case 'number':
    case 'text':
    case 'photo':
    case 'signature':
    case 'blocked':
      return outcome;
    default:
      return assertNever(given, 'answer');
  }
}

/** Short human text of an answer, for lists, bug reports and the printed report. */
export function describeAnswer(given: Answer, spec: AnswerSpec): string {
  switch (given.type) {
    case 'passFail':
      return given.value === 'na' ? 'Not applicable' : given.value === 'pass' ? 'Pass' : 'Fail';
    case 'number': {
      const unit = spec.type === 'number' ? ` ${spec.unit}` : '';
      const limit =
        spec.type === 'number'
          ? ` (limit ${spec.threshold.op === '<=' ? '≤' : '≥'} ${spec.threshold.value}${unit})`
          : '';
      return `${given.value}${unit}${limit}`;
    }
    case 'text':
      return given.value;
    case 'choice':
      return spec.type === 'choice'
        ? (spec.options.find((o) => o.id === given.optionId)?.label ?? given.optionId)
        : given.optionId;
    case 'photo':
      return 'Photo attached';
    case 'signature':
      return 'Signed';
    case 'blocked':
      return `Could not be tested: ${given.reason}`;
    default:
      return assertNever(given, 'answer');
  }
}

const ANSWER_TYPE_WORDS: Record<Answer['type'], string> = {
  passFail: 'pass, fail or not applicable',
  number: 'a measured number',
  text: 'a text answer',
  choice: 'one of its choices',
  photo: 'a photo',
  signature: 'a drawn signature',
  blocked: 'could not be tested',
};
