/**
 * Checklist channels: templates, runs, results, waivers and evidence.
 * Results, waivers and evidence are journal events that sync like any other;
 * the evidence files themselves are content-addressed (SHA-256) in the data
 * folder and uploaded to the central server before the events that cite them.
 */
import { z } from 'zod';
import { answer, sha256Text } from '../checklists/answers.ts';
import type {
  ChecklistRunSummary,
  ChecklistRunView,
  ChecklistTemplatesView,
  EvidenceFile,
  EvidenceRef,
  RecordResultOutcome,
} from '../checklists/types.ts';
import type { AssignmentView } from '../checklists/assignments.ts';
import { CHANNEL_ACCESS } from './access.ts';
import { call } from './define.ts';
import { id, reasonText } from './schemas.ts';

/** Evidence files: photos (JPEG, PNG, WebP) and drawn signatures (PNG). */
export const EVIDENCE_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
/**
 * Largest evidence file. Base64 grows it by 4/3, so 700 KiB stays under the
 * 1 MiB transport body limit with room for the rest of the call; the UI
 * downscales photos to fit.
 */
export const MAX_EVIDENCE_BYTES = 700 * 1024;
const MAX_EVIDENCE_BASE64 = Math.ceil(MAX_EVIDENCE_BYTES / 3) * 4;

/** A base64 image file within the evidence size limit (photos, drawn signatures). */
export const base64Image = (what: string) =>
  z
    .string()
    .min(4, `${what} is empty`)
    .max(
      MAX_EVIDENCE_BASE64,
      `${what} is larger than ${MAX_EVIDENCE_BYTES / 1024} KiB: take a smaller photo`,
    )
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, `${what} is not base64`);

const note = z.string().trim().max(1000);

/** What `checklists:waiveItem` accepts; the waive form validates with it before sending. */
export const waiveItemInput = z
  .object({ runId: id, terminalId: id, itemId: id, reason: reasonText })
  .strict();

export const checklistsContract = {
  /** Checklists the release desk assigned to the user's store(s): overdue first, then due, then done. */
  'checklists:assignments': call<AssignmentView[]>()({
    input: z.object({}).strict(),
    access: 'signedIn',
  }),
  /** Templates in the catalog, and what each release requires (template + number of terminals). */
  'checklists:templates': call<ChecklistTemplatesView>()({
    input: z.object({ releaseId: id.optional() }).strict(),
    access: 'signedIn',
  }),
  /** Runs, newest first, filtered by release and/or store. */
  'checklists:listRuns': call<ChecklistRunSummary[]>()({
    input: z.object({ releaseId: id.optional(), storeId: id.optional() }).strict(),
    access: 'signedIn',
  }),
  /** One run: template, visible items per terminal, latest results, waivers, statuses, score, completion. */
  'checklists:getRun': call<ChecklistRunView>()({
    input: z.object({ runId: id }).strict(),
    access: 'signedIn',
  }),
  /** Starts a run of a template for a release on terminals of ONE store the user works in. */
  'checklists:startRun': call<ChecklistRunView>()({
    input: z
      .object({
        templateId: id,
        releaseId: id,
        terminalIds: z.array(id).min(1, 'pick at least one terminal').max(50),
      })
      .strict(),
    access: CHANNEL_ACCESS['checklists:startRun'],
  }),
  'checklists:pauseRun': call<ChecklistRunView>()({
    input: z.object({ runId: id }).strict(),
    access: CHANNEL_ACCESS['checklists:pauseRun'],
  }),
  'checklists:resumeRun': call<ChecklistRunView>()({
    input: z.object({ runId: id }).strict(),
    access: CHANNEL_ACCESS['checklists:resumeRun'],
  }),
  /**
   * Records (or re-records) the answer to one visible item on one terminal.
   * Photo and signature answers cite evidence attached first. A new answer
   * replaces a waiver on that item. Refused while the run is paused.
   */
  'checklists:recordResult': call<RecordResultOutcome>()({
    input: z
      .object({
        runId: id,
        terminalId: id,
        itemId: id,
        answer,
        note: note.optional(),
        evidence: z.array(sha256Text).max(10).optional(),
      })
      .strict(),
    access: CHANNEL_ACCESS['checklists:recordResult'],
  }),
  /** Stores a photo or signature file content-addressed and journals it; returns its SHA-256 to cite. */
  'checklists:attachEvidence': call<EvidenceRef>()({
    input: z
      .object({
        runId: id,
        fileName: z.string().trim().min(1).max(200),
        mimeType: z.enum(EVIDENCE_MIME_TYPES, {
          message: 'evidence must be a JPEG, PNG or WebP image',
        }),
        dataBase64: base64Image('the file'),
      })
      .strict(),
    access: CHANNEL_ACCESS['checklists:attachEvidence'],
  }),
  /** The file behind an evidence hash, as a data URL (thumbnails, report). */
  'checklists:getEvidence': call<EvidenceFile>()({
    input: z.object({ sha256: sha256Text }).strict(),
    access: 'signedIn',
  }),
  /** A manager waives a failed, blocked or unanswered item with a reason. */
  'checklists:waiveItem': call<ChecklistRunView>()({
    input: waiveItemInput,
    access: CHANNEL_ACCESS['checklists:waiveItem'],
  }),
} as const;
