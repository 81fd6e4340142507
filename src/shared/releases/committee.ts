/**
 * The release committee: a named set of approvers (user ids) with a quorum,
 * for one release or as the default. The move to general needs the quorum's
 * sign-offs, each bound — like a go/no-go decision — to the evidence it saw:
 * the decisions of the ring before general and the open S1/S2 bug reports at
 * that moment, hashed. A sign-off whose evidence no longer matches (a store
 * re-decided, a blocker was filed or closed) no longer counts.
 */
import canonicalize from 'canonicalize';
import { z } from 'zod';
import type { Sha256Hex } from '../audit/event.ts';

const userId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);

export const releaseCommittee = z
  .object({
    name: z.string().trim().min(1).max(120),
    approvers: z.array(userId).min(1).max(50),
    quorum: z.number().int().min(1).max(50),
  })
  .strict()
  .refine((c) => new Set(c.approvers).size === c.approvers.length, {
    message: 'an approver appears twice',
    path: ['approvers'],
  })
  .refine((c) => c.quorum <= c.approvers.length, {
    message: 'the quorum cannot exceed the number of approvers',
    path: ['quorum'],
  });
export type ReleaseCommittee = z.infer<typeof releaseCommittee>;

/** What a committee member saw when signing: the ring's decisions and the open blockers. */
export type SignOffEvidence = {
  releaseId: string;
  ring: string;
  /** The latest decision of each store of the ring, by the hash of its event. */
  decisions: Array<{ storeId: string; decision: string; eventHash: string }>;
  openBlockers: Array<{ reportId: string; severity: string }>;
};

function normalize(evidence: SignOffEvidence): SignOffEvidence {
  return {
    releaseId: evidence.releaseId,
    ring: evidence.ring,
    decisions: evidence.decisions
      .map((d) => ({ storeId: d.storeId, decision: d.decision, eventHash: d.eventHash }))
      .sort((a, b) => a.storeId.localeCompare(b.storeId) || a.eventHash.localeCompare(b.eventHash)),
    openBlockers: evidence.openBlockers
      .map((b) => ({ reportId: b.reportId, severity: b.severity }))
      .sort((a, b) => a.reportId.localeCompare(b.reportId)),
  };
}

/** SHA-256 of the RFC 8785 canonical JSON of the sorted evidence: an auditor recomputes it from the entry. */
export function signOffEvidenceDigest(evidence: SignOffEvidence, sha256Hex: Sha256Hex): string {
  const text = canonicalize(normalize(evidence));
  if (text === undefined) throw new Error('sign-off evidence cannot be canonicalized');
  return sha256Hex(text);
}

export type CommitteeSignOff = { userId: string; digest: string; signedAt: string };

export type QuorumState = {
  quorum: number;
  /** Approvers whose sign-off matches the evidence as it is now. */
  current: string[];
  /** Approvers who signed on evidence that has changed since: they must sign again. */
  stale: string[];
  /** Approvers who have not signed. */
  missing: string[];
  isMet: boolean;
};

/** Counts the approvers' latest sign-offs against the evidence's digest now; non-members never count. */
export function quorumState(
  committee: ReleaseCommittee,
  signOffs: readonly CommitteeSignOff[],
  currentDigest: string,
): QuorumState {
  const latest = new Map<string, CommitteeSignOff>();
  for (const s of signOffs) {
    const seen = latest.get(s.userId);
    if (!seen || seen.signedAt <= s.signedAt) latest.set(s.userId, s);
  }
  const current: string[] = [];
  const stale: string[] = [];
  const missing: string[] = [];
  for (const approver of committee.approvers) {
    const s = latest.get(approver);
    if (!s) missing.push(approver);
    else if (s.digest === currentDigest) current.push(approver);
    else stale.push(approver);
  }
  return {
    quorum: committee.quorum,
    current,
    stale,
    missing,
    isMet: current.length >= committee.quorum,
  };
}
