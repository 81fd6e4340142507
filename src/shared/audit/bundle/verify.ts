/**
 * The verifier: reads every line (one step per line kind, read.ts), then runs
 * the checks across lines in a fixed order. The first problem ends it, as a
 * verdict naming the line to blame.
 */
import { checkActorRule } from './actorCheck.ts';
import {
  checkChains,
  checkCheckpoints,
  checkCompleteLogLayout,
  checkEvents,
  checkTreeHead,
} from './checks.ts';
import { Failure } from './failure.ts';
import type { BundleCrypto, BundleVerification, VerifyBundleOptions } from './format.ts';
import { nobleBundleCrypto } from './nobleCrypto.ts';
import { readLine, startReading } from './read.ts';
import { checkServerEntries } from './serverEntries.ts';
import { checkSignOffs } from './signOffs.ts';

/**
 * Verifies a bundle given as its lines (text, or already parsed objects).
 * Checks: header; the log's tree-head signature and logId; every event's
 * canonical hash, store and device; each device's chain (consecutive seq,
 * `prev` links); each checkpoint's signature and head; server entries signed
 * with the log key; one inclusion proof per event against the signed root; sign-offs; the actor rule. Returns the first
 * failure with its line number (1-based).
 */
export function verifyBundle(
  lines: Iterable<unknown>,
  crypto: BundleCrypto = nobleBundleCrypto,
  options: VerifyBundleOptions = {},
): BundleVerification {
  try {
    return verify(lines, crypto, options);
  } catch (error) {
    if (error instanceof Failure) return { ok: false, line: error.line, reason: error.message };
    throw error;
  }
}

function verify(
  input: Iterable<unknown>,
  crypto: BundleCrypto,
  options: VerifyBundleOptions,
): BundleVerification {
  const r = startReading(crypto);
  let lineNo = 0;
  for (const raw of input) {
    lineNo += 1;
    readLine(r, raw, lineNo);
  }
  const { header, treeHead } = r;
  if (header === null) throw new Failure(1, 'the bundle is empty');
  if (treeHead === null) throw new Failure(lineNo, 'the bundle has no signed tree head');
  checkTreeHead(header, treeHead, crypto, options);
  const isComplete = header.storeId === null;
  if (isComplete) checkCompleteLogLayout(r, treeHead);
  const byDevice = checkEvents(r, treeHead, crypto, options);
  checkChains(byDevice, isComplete);
  checkCheckpoints(r, byDevice, crypto);
  checkServerEntries(r, header, byDevice);
  checkSignOffs(r.signOffs, r.resultBodies, r.events, header, r.hashes.sha256Hex);
  const actorChecked = checkActorRule(
    r.actorRule,
    r.actorEvents,
    r.users,
    r.terminals,
    r.quarantineMarks,
  );
  return {
    ok: true,
    events: r.events.length,
    devices: r.devices.size,
    checkpoints: r.checkpoints.length,
    treeHead: treeHead.treeHead,
    signOffs: r.signOffs.length,
    actorChecked,
    quarantined: r.quarantineMarks.size,
  };
}
