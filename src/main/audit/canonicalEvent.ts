/** Moved to shared (pure): the server ingest and the bundle verifier use it too. */
export { canonicalEventText } from '../../shared/audit/canonicalEvent.ts';
