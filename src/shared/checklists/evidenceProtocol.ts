/**
 * The evidence routes of the central server (docs/protocol.md, "Evidence"):
 * a device uploads each evidence file once, content-addressed by SHA-256,
 * before pushing the events that cite it; auditors and admins read files back.
 */
import { z } from 'zod';
import type { RouteAuth } from '../sync/protocol.ts';
import { MAX_EVIDENCE_BYTES } from '../contract/checklists.ts';

/** Base64 grows a file by 4/3; the JSON around it is small. */
export const EVIDENCE_BODY_LIMIT = Math.ceil((MAX_EVIDENCE_BYTES * 4) / 3) + 4096;

export const EVIDENCE_ROUTES = {
  /** Body: {mimeType, dataBase64}. 200 {sha256, byteLength}, the same answer for a file the server already holds (from any store). */
  evidenceUpload: {
    method: 'POST',
    url: '/v1/evidence/:sha256',
    auth: 'device',
    bodyLimit: EVIDENCE_BODY_LIMIT,
  },
  /** The file's bytes with its content type. */
  evidenceDownload: { method: 'GET', url: '/v1/evidence/:sha256', auth: 'auditor' },
  /**
   * A store console fetches a file another console of its store cited (a
   * result's photo, a sign-off's signature): the same bytes, only for a file
   * its store's records cite or its store uploaded; 404 alike otherwise.
   */
  storeEvidenceDownload: { method: 'GET', url: '/v1/store/evidence/:sha256', auth: 'device' },
} as const satisfies Record<
  string,
  { method: 'GET' | 'POST'; url: string; auth: RouteAuth; bodyLimit?: number }
>;

export function evidencePath(sha256: string): string {
  return `/v1/evidence/${sha256}`;
}

export function storeEvidencePath(sha256: string): string {
  return `/v1/store/evidence/${sha256}`;
}

export const evidenceReceipt = z
  .object({
    sha256: z.string(),
    byteLength: z.number().int(),
    /** Sent by older servers only; it told one store what another held, so it is ignored. */
    isNew: z.boolean().optional(),
  })
  .strict();
