/** What the console shows of its sync with the central server: status and quarantined events. */
import type { QuarantineReason } from '../audit/actorRule.ts';

export type SyncStatus = {
  isEnrolled: boolean;
  isOnline: boolean;
  pendingEvents: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  serverUrl: string | null;
  treeHead: { size: number; root: string; at: string; verifiedAt?: string } | null;
  /**
   * Set when the central server's history failed a consistency check against
   * the last verified tree head ("central history was rewritten"). It stays
   * until a manager reconnects the console; sync is halted meanwhile.
   */
  alarm?: string | null;
  /** A sync cycle is running right now. */
  isSyncing?: boolean;
  /**
   * How many of this console's events the central server appended but
   * quarantined (they broke the actor rule); `sync:quarantined` lists them.
   */
  quarantinedEvents?: number;
  /** The attachment on its way to the server right now (the resumable upload), if any. */
  upload?: UploadProgress | null;
  /** Attachments the central server refused for good (too big, a type it does not take), newest first. */
  refusedAttachments?: RefusedAttachment[];
};

export type UploadProgress = {
  sha256: string;
  name: string;
  /** Bytes the server confirmed holding. */
  sentBytes: number;
  totalBytes: number;
};

export type RefusedAttachment = {
  sha256: string;
  name: string;
  /** The server's machine-readable code (payload_too_large, unsupported_media_type, invalid_input). */
  code: string;
  /** The server's words. */
  message: string;
  refusedAt: string;
};

/** One event of this console that the central server quarantined, with the reason. */
export type QuarantinedEvent = {
  seq: number;
  id: string;
  at: string;
  type: string;
  userId: string;
  /** Machine-readable (src/shared/audit/actorRule.ts QUARANTINE_REASONS). */
  reason: QuarantineReason;
  /** The reason in plain words, and what the person can do about it. */
  explanation: string;
  /** When the server's answer told this console. */
  notedAt: string;
};

export type QuarantinedEventPage = {
  /** Newest first. */
  events: QuarantinedEvent[];
  /** Pass as `beforeSeq` for the next page; null on the last. */
  nextBeforeSeq: number | null;
  total: number;
};
