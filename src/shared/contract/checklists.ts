/**
 * Checklists, go / no-go decisions, draft bug reports and printable reports
 *. Spread into `contract` (index.ts). Results, waivers, evidence,
 * decisions and bug reports are journal events that sync like any other; the
 * evidence files themselves are content-addressed (SHA-256) in the data folder
 * and uploaded to the central server before the events that cite them.
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
import { DECISIONS } from '../decisions/signing.ts';
import type { DecisionReport, DecisionView, RunReport, VerdictView } from '../decisions/types.ts';
import { bugSeverity, type BugReport } from '../feedback/types.ts';
import { CHANNEL_ACCESS } from './access.ts';
import { call } from './define.ts';
import { id, pin } from './schemas.ts';

/** Evidence files: photos (JPEG, PNG, WebP) and drawn signatures (PNG). */
export const EVIDENCE_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
/**
 * Largest evidence file. Base64 grows it by 4/3, so 700 KiB stays under the
 * 1 MiB transport body limit with room for the rest of the call; the UI
 * downscales photos to fit.
 */
export const MAX_EVIDENCE_BYTES = 700 * 1024;
const MAX_EVIDENCE_BASE64 = Math.ceil(MAX_EVIDENCE_BYTES / 3) * 4;

const base64 = (what: string) =>
  z
    .string()
    .min(4, `${what} is empty`)
    .max(
      MAX_EVIDENCE_BASE64,
      `${what} is larger than ${MAX_EVIDENCE_BYTES / 1024} KiB: take a smaller photo`,
    )
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, `${what} is not base64`);

const note = z.string().trim().max(1000);
const reasonText = z.string().trim().min(3, 'give a reason (at least 3 characters)').max(1000);

export const checklistsContract = {
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
        dataBase64: base64('the file'),
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
    input: z.object({ runId: id, terminalId: id, itemId: id, reason: reasonText }).strict(),
    access: CHANNEL_ACCESS['checklists:waiveItem'],
  }),

  /** Files a draft bug report from a failed (or blocked) item, context filled in from the run. */
  'feedback:draftBugReport': call<BugReport>()({
    input: z
      .object({
        runId: id,
        terminalId: id,
        itemId: id,
        severity: bugSeverity.optional(),
        title: z.string().trim().min(3).max(200).optional(),
        description: z.string().trim().max(4000).optional(),
      })
      .strict(),
    access: CHANNEL_ACCESS['feedback:draftBugReport'],
  }),
  'feedback:listBugReports': call<BugReport[]>()({
    input: z
      .object({ releaseId: id.optional(), storeId: id.optional(), runId: id.optional() })
      .strict(),
    access: 'signedIn',
  }),

  /** The go / no-go verdict for a release at a store, criterion by criterion. storeId defaults to the user's only store. */
  'decisions:verdict': call<VerdictView>()({
    input: z.object({ releaseId: id, storeId: id.optional() }).strict(),
    access: 'signedIn',
  }),
  /**
   * The manager signs go / no-go / go with conditions: PIN re-entered, signature
   * drawn (PNG). The event binds the decision to every result, waiver and
   * evidence file it rests on.
   */
  'decisions:record': call<DecisionView>()({
    input: z
      .object({
        releaseId: id,
        storeId: id.optional(),
        decision: z.enum(DECISIONS),
        reason: reasonText,
        conditions: z.array(z.string().trim().min(3).max(500)).max(20).optional(),
        pin,
        signaturePngBase64: base64('the signature'),
      })
      .strict(),
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

  /** Everything the printable run report needs. */
  'reports:runReport': call<RunReport>()({
    input: z.object({ runId: id }).strict(),
    access: 'signedIn',
  }),
  /** Everything the printable decision record needs. */
  'reports:decisionReport': call<DecisionReport>()({
    input: z.object({ decisionId: id }).strict(),
    access: 'signedIn',
  }),
  /**
   * Desktop app only: prints the report on screen to an A4 PDF with
   * Chromium's printToPDF, saved where the user picks. Browser mode answers
   * `unavailable` and the page prints through the browser instead.
   */
  'reports:savePdf': call<SavedPdf>()({
    input: z
      .object({
        fileName: z
          .string()
          .min(1)
          .max(120)
          .regex(/^[^/\\:*?"<>|]+\.pdf$/, 'a file name ending in .pdf'),
      })
      .strict(),
    access: 'signedIn',
  }),
} as const;

/** `path` is null when the user cancelled the save dialog. */
export type SavedPdf = { isSaved: boolean; path: string | null };
