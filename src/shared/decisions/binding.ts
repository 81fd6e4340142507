/**
 * Binding a decision to its evidence. The decision event carries the
 * basis it rests on — the hash of every result and waiver event that counted,
 * and the SHA-256 of every evidence file they cite — plus one digest of it.
 * Later, the current basis is computed the same way and compared: a re-answered
 * item, an added or removed result, a removed or added waiver, or an evidence
 * file that changed or went missing makes the decision "no longer matching",
 * with the list of what changed.
 */
import canonicalize from 'canonicalize';
import type { Sha256Hex } from '../audit/event.ts';

/** One result or waiver the decision rests on, keyed by where it applies. */
export type BasisEntry = {
  runId: string;
  terminalId: string;
  itemId: string;
  eventId: string;
  hash: string;
};

/** The release's automated test results the decision saw: the imported report's SHA-256 and its counts. */
export type BoundTestResults = {
  sha256: string;
  total: number;
  failed: number;
  skipped: number;
  importedAt: string;
};

export type DecisionBasis = {
  results: BasisEntry[];
  waivers: BasisEntry[];
  /** SHA-256 of every evidence file the results cite, sorted, unique. */
  evidence: string[];
  /**
   * Absent when the release had no imported test results at signing, so the
   * digest of a decision signed before test results existed is unchanged.
   */
  testResults?: BoundTestResults;
};

/** Sorted by place then event, so the same evidence always gives the same digest. */
export function normalizeBasis(basis: DecisionBasis): DecisionBasis {
  const byPlace = (a: BasisEntry, b: BasisEntry) =>
    a.runId.localeCompare(b.runId) ||
    a.terminalId.localeCompare(b.terminalId) ||
    a.itemId.localeCompare(b.itemId) ||
    a.eventId.localeCompare(b.eventId);
  return {
    results: basis.results.map(pickEntry).sort(byPlace),
    waivers: basis.waivers.map(pickEntry).sort(byPlace),
    evidence: [...new Set(basis.evidence)].sort(),
    ...(basis.testResults ? { testResults: pickTestResults(basis.testResults) } : {}),
  };
}

function pickTestResults(r: BoundTestResults): BoundTestResults {
  return {
    sha256: r.sha256,
    total: r.total,
    failed: r.failed,
    skipped: r.skipped,
    importedAt: r.importedAt,
  };
}

function pickEntry(e: BasisEntry): BasisEntry {
  return {
    runId: e.runId,
    terminalId: e.terminalId,
    itemId: e.itemId,
    eventId: e.eventId,
    hash: e.hash,
  };
}

/** SHA-256 of the RFC 8785 canonical JSON of the normalized basis: an auditor recomputes it from the event. */
export function basisDigest(basis: DecisionBasis, sha256Hex: Sha256Hex): string {
  const text = canonicalize(normalizeBasis(basis));
  if (text === undefined) throw new Error('decision basis cannot be canonicalized');
  return sha256Hex(text);
}

export const BINDING_CHANGES = [
  'result_replaced',
  'result_added',
  'result_removed',
  'waiver_added',
  'waiver_removed',
  'evidence_altered',
  'evidence_missing',
  'evidence_added',
  'test_results_changed',
] as const;
export type BindingChangeKind = (typeof BINDING_CHANGES)[number];
export type BindingChange = {
  kind: BindingChangeKind;
  runId?: string;
  terminalId?: string;
  itemId?: string;
  sha256?: string;
};

export type CurrentEvidenceState = {
  basis: DecisionBasis;
  /** Each evidence file the current results cite, rehashed: null when the file is gone. */
  fileHashes: ReadonlyMap<string, string | null>;
};

export type BindingCheck = { matches: boolean; changes: BindingChange[] };

/**
 * Compares the basis a decision was signed on with the evidence as it is now.
 * Also re-hashes nothing itself: the caller passes what each file hashes to today.
 */
export function checkBinding(recorded: DecisionBasis, current: CurrentEvidenceState): BindingCheck {
  const changes: BindingChange[] = [];
  compareEntries(recorded.results, current.basis.results, 'result', changes);
  compareEntries(recorded.waivers, current.basis.waivers, 'waiver', changes);
  const nowCited = new Set(current.basis.evidence);
  for (const sha256 of [...new Set(recorded.evidence)].sort()) {
    const actual = current.fileHashes.get(sha256);
    if (actual === null || (actual === undefined && !nowCited.has(sha256))) {
      // Gone from disk, or no longer cited by any counted result (the result change is listed too).
      if (actual === null) changes.push({ kind: 'evidence_missing', sha256 });
    } else if (actual !== undefined && actual !== sha256) {
      changes.push({ kind: 'evidence_altered', sha256 });
    }
  }
  const recordedEvidence = new Set(recorded.evidence);
  for (const sha256 of [...nowCited].sort()) {
    if (!recordedEvidence.has(sha256)) changes.push({ kind: 'evidence_added', sha256 });
  }
  // Another report imported after signing (or the first one): the decision did not see it.
  if (recorded.testResults?.sha256 !== current.basis.testResults?.sha256)
    changes.push({ kind: 'test_results_changed' });
  return { matches: changes.length === 0, changes };
}

function compareEntries(
  before: readonly BasisEntry[],
  now: readonly BasisEntry[],
  what: 'result' | 'waiver',
  changes: BindingChange[],
) {
  const place = (e: BasisEntry) => `${e.runId}\u0000${e.terminalId}\u0000${e.itemId}`;
  const nowByPlace = new Map(now.map((e) => [place(e), e]));
  const beforeByPlace = new Map(before.map((e) => [place(e), e]));
  for (const [key, e] of beforeByPlace) {
    const later = nowByPlace.get(key);
    const where = { runId: e.runId, terminalId: e.terminalId, itemId: e.itemId };
    if (!later)
      changes.push({ kind: what === 'result' ? 'result_removed' : 'waiver_removed', ...where });
    else if (later.eventId !== e.eventId || later.hash !== e.hash) {
      changes.push(
        what === 'result'
          ? { kind: 'result_replaced', ...where }
          : { kind: 'waiver_removed', ...where },
        ...(what === 'waiver' ? [{ kind: 'waiver_added' as const, ...where }] : []),
      );
    }
  }
  for (const [key, e] of nowByPlace) {
    if (!beforeByPlace.has(key)) {
      changes.push({
        kind: what === 'result' ? 'result_added' : 'waiver_added',
        runId: e.runId,
        terminalId: e.terminalId,
        itemId: e.itemId,
      });
    }
  }
}
