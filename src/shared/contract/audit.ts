/** Audit channels on the console: re-verifying the local journal. */
import type { JournalVerification } from '../audit/journalVerification.ts';
import { call } from './define.ts';
import { empty } from './schemas.ts';

export const auditContract = {
  /** Re-verifies the local journal's hash chain. */
  'audit:verifyJournal': call<JournalVerification>()({ input: empty, access: 'signedIn' }),
} as const;
