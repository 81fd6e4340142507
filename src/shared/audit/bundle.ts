/**
 * The audit bundle: a self-contained JSON Lines export an auditor verifies
 * offline with SHA-256, Ed25519 and RFC 8785 alone (docs/protocol.md).
 *
 * Lines, in this order, each a JSON object with a `kind`:
 *   header      {kind:"header", v:1, format:"dearpos-audit-bundle", logId, logPublicKey, storeId, from, to, createdAt}
 *   device      {kind:"device", deviceId, storeId, publicKey}               one per device with events
 *   event       {kind:"event", index, event}                                event exactly as hashed, plus `hash`
 *   checkpoint  {kind:"checkpoint", deviceId, seq, head, signature}         device-signed heads inside the range
 *   tree-head   {kind:"tree-head", treeHead, signature}                     exactly one, signed by the log
 *   inclusion   {kind:"inclusion", index, size, leafHash, path}             one per event, for treeHead.size
 *
 * Who acted (optional; a server with the actor check writes them, src/shared/audit/actorRule.ts):
 *   actor-rule  {kind:"actor-rule", v:1, fromIndex}                         before the events: from this log
 *                                                                            index on, every event was judged
 *   user        {kind:"user", userId, fromIndex, role, storeIds, isRevoked} one per version of each actor
 *   terminal    {kind:"terminal", terminalId, fromIndex, storeId}            one per version of each terminal named
 *   quarantine  {kind:"quarantine", index, reason}                          one per quarantined event
 * With them, the quarantined events must be exactly those that break the
 * rule against the versions in force at their index. Whatever the bundle,
 * each sign-off (`decision.recorded`) must name result and waiver events by
 * their true hashes, cite exactly the evidence those results cite, and carry
 * the digest of that basis.
 *
 * Pure: crypto is injected, so the CLI uses node:crypto and the console's
 * audit screen @noble (see `nobleBundleCrypto`).
 *
 * This file is the index; the verifier lives in ./bundle/, to be read in this order:
 *   format.ts         the line kinds, the verdict and the options (types and constants)
 *   verify.ts         verifyBundle: read every line, then the checks across lines, in order
 *   read.ts           one step per line kind, and what is kept of each line
 *   canonicalLine.ts  the canonical-line recogniser: event lines hashed without JSON.parse
 *   inclusionPath.ts  the inclusion-path reader and the proof check that reuses the last path
 *   checks.ts         tree head, complete log, events and proofs, chains, checkpoints
 *   signOffs.ts       sign-offs against the results and waivers they name
 *   actorCheck.ts     the actor rule against the quarantine lines
 *   bytes.ts, failure.ts, nobleCrypto.ts   codecs, the failure verdict, the browser's crypto
 */
export {
  BUNDLE_FORMAT,
  type BundleCrypto,
  type BundleEvent,
  type BundleLine,
  type BundleVerification,
} from './bundle/format.ts';
export { readCanonicalEventLine } from './bundle/canonicalLine.ts';
export { nobleBundleCrypto } from './bundle/nobleCrypto.ts';
export { verifyBundle } from './bundle/verify.ts';
