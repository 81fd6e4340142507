import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { quorumState, releaseCommittee, signOffEvidenceDigest } from './committee.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const evidence = {
  releaseId: 'rel-2',
  ring: 'early',
  decisions: [
    { storeId: 'S-2', decision: 'go', eventHash: 'b'.repeat(64) },
    { storeId: 'S-1', decision: 'go', eventHash: 'a'.repeat(64) },
  ],
  openBlockers: [],
};

describe('release committee', () => {
  it('a quorum above the approvers or a repeated approver is refused with the field named', () => {
    const r = releaseCommittee.safeParse({ name: 'CAB', approvers: ['u1', 'u2'], quorum: 3 });
    expect(r.success ? null : r.error.issues[0]!.path).toEqual(['quorum']);
    const d = releaseCommittee.safeParse({ name: 'CAB', approvers: ['u1', 'u1'], quorum: 1 });
    expect(d.success ? null : d.error.issues[0]!.path).toEqual(['approvers']);
  });

  it('the evidence digest does not depend on order, and changes when a decision does', () => {
    const d = signOffEvidenceDigest(evidence, sha);
    expect(
      signOffEvidenceDigest({ ...evidence, decisions: [...evidence.decisions].reverse() }, sha),
    ).toBe(d);
    expect(
      signOffEvidenceDigest(
        { ...evidence, decisions: [{ ...evidence.decisions[0]!, decision: 'no_go' }] },
        sha,
      ),
    ).not.toBe(d);
  });

  it('counts only approvers whose sign-off saw the evidence as it is now', () => {
    const committee = { name: 'CAB', approvers: ['u1', 'u2', 'u3'], quorum: 2 };
    const now = signOffEvidenceDigest(evidence, sha);
    const state = quorumState(
      committee,
      [
        { userId: 'u1', digest: now, signedAt: '2026-12-01T10:00:00.000Z' },
        { userId: 'u2', digest: 'old', signedAt: '2026-12-01T09:00:00.000Z' },
        { userId: 'outsider', digest: now, signedAt: '2026-12-01T09:00:00.000Z' },
      ],
      now,
    );
    expect(state).toEqual({
      quorum: 2,
      current: ['u1'],
      stale: ['u2'],
      missing: ['u3'],
      isMet: false,
    });
    const again = quorumState(
      committee,
      [
        { userId: 'u1', digest: now, signedAt: '2026-12-01T10:00:00.000Z' },
        { userId: 'u2', digest: 'old', signedAt: '2026-12-01T09:00:00.000Z' },
        { userId: 'u2', digest: now, signedAt: '2026-12-01T11:00:00.000Z' },
      ],
      now,
    );
    expect(again.isMet).toBe(true);
  });
});
