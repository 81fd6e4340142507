/**
 * Journal event types of checklists, decisions and draft bug reports,
 * spread into the registry of src/shared/audit/eventTypes.ts: the console
 * validates each payload before appending, the server checks payload and role
 * again on every pushed event.
 */
import { z } from 'zod';
import { answer, sha256Text, OUTCOMES } from './answers.ts';
import { checklistTemplate } from './template.ts';
import { BUG_SEVERITIES } from '../feedback/types.ts';
import { DECISIONS } from '../decisions/signing.ts';
import { CRITERION_KINDS, VERDICTS } from '../decisions/verdict.ts';
import { decisionRisks } from '../releases/risks.ts';
import type { EventTypeSpec } from '../audit/eventTypeSpec.ts';

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);
const FIELD_ROLES = ['technician', 'manager'] as const;
const MANAGER = ['manager'] as const;

const basisEntry = z
  .object({ runId: idText, terminalId: idText, itemId: idText, eventId: idText, hash: sha256Text })
  .strict();

export const CHECKLIST_EVENT_TYPES = {
  /** Carries the template as run, so the audit trail shows exactly what was asked. */
  'checklist.run.started': {
    payload: z
      .object({
        runId: idText,
        releaseId: idText,
        terminalIds: z.array(idText).min(1).max(50),
        template: checklistTemplate,
      })
      .strict(),
    roles: FIELD_ROLES,
  },
  'checklist.run.paused': { payload: z.object({ runId: idText }).strict(), roles: FIELD_ROLES },
  'checklist.run.resumed': { payload: z.object({ runId: idText }).strict(), roles: FIELD_ROLES },
  /** The file itself is content-addressed by `sha256` and uploaded separately (PUT /v1/evidence/:sha256). */
  'checklist.evidence.attached': {
    payload: z
      .object({
        runId: idText,
        sha256: sha256Text,
        mimeType: z.enum(['image/jpeg', 'image/png', 'image/webp']),
        byteLength: z
          .number()
          .int()
          .min(1)
          .max(1024 * 1024),
        fileName: z.string().min(1).max(200),
      })
      .strict(),
    roles: FIELD_ROLES,
  },
  'checklist.result.recorded': {
    payload: z
      .object({
        runId: idText,
        terminalId: idText,
        itemId: idText,
        answer,
        outcome: z.enum(OUTCOMES),
        note: z.string().max(1000).nullable(),
        evidence: z.array(sha256Text).max(10),
      })
      .strict(),
    roles: FIELD_ROLES,
  },
  'checklist.item.waived': {
    payload: z
      .object({
        runId: idText,
        terminalId: idText,
        itemId: idText,
        reason: z.string().min(3).max(1000),
      })
      .strict(),
    roles: MANAGER,
  },
  'feedback.bug_report.drafted': {
    payload: z
      .object({
        bugReportId: idText,
        runId: idText,
        terminalId: idText,
        itemId: idText,
        releaseId: idText,
        severity: z.enum(BUG_SEVERITIES),
        title: z.string().min(3).max(200),
        description: z.string().max(4000),
        answerText: z.string().max(2200),
        evidence: z.array(sha256Text).max(10),
      })
      .strict(),
    roles: FIELD_ROLES,
  },
  /**
   * A signed go / no-go. `basis` lists every result and waiver event (with its
   * hash) and every evidence file the decision rests on; `digest` is the SHA-256
   * of the basis's RFC 8785 JSON (src/shared/decisions/binding.ts).
   */
  'decision.recorded': {
    payload: z
      .object({
        decisionId: idText,
        releaseId: idText,
        decision: z.enum(DECISIONS),
        reason: z.string().min(3).max(1000),
        conditions: z.array(z.string().min(3).max(500)).max(20),
        verdict: z.enum(VERDICTS),
        criteria: z
          .array(
            z
              .object({
                id: z.string().min(1).max(200),
                kind: z.enum(CRITERION_KINDS),
                isMet: z.boolean(),
                reason: z.string().max(500),
              })
              .strict(),
          )
          .max(50),
        signature: z
          .object({
            sha256: sha256Text,
            mimeType: z.literal('image/png'),
            byteLength: z
              .number()
              .int()
              .min(1)
              .max(1024 * 1024),
          })
          .strict(),
        basis: z
          .object({
            results: z.array(basisEntry).max(20_000),
            waivers: z.array(basisEntry).max(20_000),
            evidence: z.array(sha256Text).max(20_000),
            /** The release's automated test results the decision saw (absent: none imported). */
            testResults: z
              .object({
                sha256: sha256Text,
                total: z.number().int().min(0),
                failed: z.number().int().min(0),
                skipped: z.number().int().min(0),
                importedAt: z.string().max(40),
              })
              .strict()
              .optional(),
          })
          .strict(),
        digest: sha256Text,
        /** The release's open risks the manager reviewed and acknowledged (absent: no register at signing). */
        risks: decisionRisks.optional(),
      })
      .strict(),
    roles: MANAGER,
  },
} as const satisfies Record<string, EventTypeSpec>;
