/** The outcome of re-verifying the local journal's hash chain. */
export type JournalVerification =
  | { ok: true; count: number; head: string }
  | { ok: false; seq: number; id: string | null; reason: string };
