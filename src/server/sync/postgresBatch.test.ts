import { describe, expect, it } from 'vitest';
import { pgInsertEntries } from './postgresBatch.ts';

const entry = (i: number) => ({
  idx: 40 + i,
  device_id: 'dev-1',
  seq: 7 + i,
  store_id: 'store-1',
  at: `2026-11-24T05:00:0${i}.000Z`,
  type: 'sale.completed',
  hash: String(i).repeat(64),
  body: `{"seq":${7 + i}}`,
});

describe('pgInsertEntries', () => {
  it('accepts one device run of consecutive seqs at consecutive indexes', () => {
    expect(() => pgInsertEntries([entry(0), entry(1), entry(2)])).not.toThrow();
  });

  // The statement derives idx, seq, device and store from the first entry, so
  // anything else would be stored wrongly: it must refuse instead.
  it.each([
    ['a skipped index', { idx: 50 }],
    ['a skipped seq', { seq: 99 }],
    ['another device', { device_id: 'dev-2' }],
    ['another store', { store_id: 'store-2' }],
  ])('refuses a batch with %s', (_name, change) => {
    expect(() => pgInsertEntries([entry(0), { ...entry(1), ...change }])).toThrow(
      /not the next entry/,
    );
  });

  it('refuses a value holding a newline, the column separator', () => {
    expect(() => pgInsertEntries([entry(0), { ...entry(1), body: '{"note":"a\nb"}' }])).toThrow(
      /newline/,
    );
  });

  it('refuses an empty batch', () => {
    expect(() => pgInsertEntries([])).toThrow(/at least one entry/);
  });
});
