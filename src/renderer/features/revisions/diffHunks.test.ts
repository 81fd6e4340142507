import { describe, expect, it } from 'vitest';
import { diffRows } from './diffHunks.ts';

describe('the diff panel', () => {
  it('keeps changed lines with their context and folds long unchanged stretches', () => {
    const same = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ op: ' ' as const, text: `s${i}` }));
    const rows = diffRows(
      [...same(10), { op: '-', text: 'old' }, { op: '+', text: 'new' }, ...same(10)],
      2,
    );
    expect(rows.map((r) => (r.kind === 'skip' ? `…${r.count}` : `${r.op}${r.text}`))).toEqual([
      '…8',
      ' s8',
      ' s9',
      '-old',
      '+new',
      ' s0',
      ' s1',
      '…8',
    ]);
  });

  it('an unchanged document is one folded row', () => {
    expect(diffRows([{ op: ' ', text: 'a' }])).toEqual([{ kind: 'skip', count: 1, key: 1 }]);
  });
});
