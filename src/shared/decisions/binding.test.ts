import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { basisDigest, checkBinding, normalizeBasis, type DecisionBasis } from './binding.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const A = sha('photo a');
const B = sha('photo b');
const entry = (itemId: string, eventId: string, terminalId = 't1') => ({
  runId: 'r1',
  terminalId,
  itemId,
  eventId,
  hash: sha(eventId),
});

const signed: DecisionBasis = {
  results: [entry('refund', 'e1'), entry('print', 'e2'), entry('eod', 'e3', 't2')],
  waivers: [entry('drawer', 'w1', 't2')],
  evidence: [A],
};
const intact = new Map([[A, A]]);

describe('evidence binding', () => {
  it('gives one digest for the same basis in any order', () => {
    const shuffled: DecisionBasis = {
      results: [...signed.results].reverse(),
      waivers: signed.waivers,
      evidence: [A, A],
    };
    expect(basisDigest(shuffled, sha)).toBe(basisDigest(signed, sha));
    expect(normalizeBasis(shuffled)).toEqual(normalizeBasis(signed));
    expect(basisDigest({ ...signed, evidence: [B] }, sha)).not.toBe(basisDigest(signed, sha));
  });

  const TABLE: Array<{
    name: string;
    basis: DecisionBasis;
    files?: Map<string, string | null>;
    changes: string[];
  }> = [
    { name: 'unchanged evidence matches', basis: signed, changes: [] },
    {
      name: 'an item answered again',
      basis: {
        ...signed,
        results: [entry('refund', 'e9'), entry('print', 'e2'), entry('eod', 'e3', 't2')],
      },
      changes: ['result_replaced:refund'],
    },
    {
      name: 'a result no longer counted',
      basis: { ...signed, results: [entry('refund', 'e1'), entry('eod', 'e3', 't2')] },
      changes: ['result_removed:print'],
    },
    {
      name: 'a result added',
      basis: { ...signed, results: [...signed.results, entry('loyalty', 'e4')] },
      changes: ['result_added:loyalty'],
    },
    {
      name: 'a waiver removed',
      basis: { ...signed, waivers: [] },
      changes: ['waiver_removed:drawer'],
    },
    {
      name: 'a waiver added',
      basis: { ...signed, waivers: [...signed.waivers, entry('eod', 'w2', 't2')] },
      changes: ['waiver_added:eod'],
    },
    {
      name: 'an evidence file altered',
      basis: signed,
      files: new Map([[A, B]]),
      changes: [`evidence_altered:${A}`],
    },
    {
      name: 'an evidence file missing',
      basis: signed,
      files: new Map([[A, null]]),
      changes: [`evidence_missing:${A}`],
    },
    {
      name: 'an evidence file cited that was not at signing',
      basis: { ...signed, evidence: [A, B] },
      files: new Map([
        [A, A],
        [B, B],
      ]),
      changes: [`evidence_added:${B}`],
    },
  ];

  it.each(TABLE)('$name', ({ basis, files, changes }) => {
    const check = checkBinding(signed, {
      basis: normalizeBasis(basis),
      fileHashes: files ?? intact,
    });
    expect(check.matches).toBe(changes.length === 0);
    expect(check.changes.map((c) => `${c.kind}:${c.itemId ?? c.sha256}`)).toEqual(changes);
  });
});
