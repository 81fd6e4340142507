import { describe, expect, it } from 'vitest';
import {
  isWaivable,
  judgeNumber,
  nextItemId,
  scoreText,
  shortcutAnswer,
  supersededRunIds,
  thresholdText,
} from './answerUi.ts';

const receiptPrint = {
  type: 'number',
  unit: 'ms',
  min: 0,
  max: 60_000,
  threshold: { op: '<=', value: 2000 },
} as const;
const signalBars = {
  type: 'number',
  unit: 'bars',
  min: 0,
  max: 5,
  threshold: { op: '>=', value: 3 },
} as const;

describe('live judgement of a measured number', () => {
  it.each([
    { spec: receiptPrint, raw: '', kind: 'empty' },
    { spec: receiptPrint, raw: '1840', kind: 'pass' },
    { spec: receiptPrint, raw: 2000, kind: 'pass' },
    { spec: receiptPrint, raw: 2001, kind: 'fail' },
    { spec: receiptPrint, raw: '12.5', kind: 'notWhole' },
    { spec: receiptPrint, raw: -1, kind: 'outOfRange' },
    { spec: receiptPrint, raw: 60_001, kind: 'outOfRange' },
    { spec: signalBars, raw: 3, kind: 'pass' },
    { spec: signalBars, raw: 2, kind: 'fail' },
  ])('$raw against $spec.threshold.op $spec.threshold.value → $kind', ({ spec, raw, kind }) => {
    expect(judgeNumber(spec, raw).kind).toBe(kind);
  });

  it('shows the threshold the way the template means it', () => {
    expect(thresholdText(receiptPrint)).toBe('≤ 2000 ms');
    expect(thresholdText(signalBars)).toBe('≥ 3 bars');
  });
});

describe('checklist item helpers', () => {
  it.each([
    ['Enter', 'pass'],
    ['f', 'fail'],
    ['F', 'fail'],
    ['n', 'na'],
    ['p', null],
    [' ', null],
  ])('key %s answers %s', (key, answer) => {
    expect(shortcutAnswer(key)).toBe(answer);
  });

  it('only unpassed, unwaived items can be waived', () => {
    expect(['failed', 'blocked', 'not_started'].every((s) => isWaivable(s as never))).toBe(true);
    expect(['passed', 'na', 'waived'].some((s) => isWaivable(s as never))).toBe(false);
  });

  it('has no score before anything is judged', () => {
    expect(scoreText({ passed: 0, counted: 0, percent: null })).toBe('—');
    expect(scoreText({ passed: 13, counted: 15, percent: 86 })).toBe('86 % (13 of 15)');
  });
});

describe('superseded runs', () => {
  const run = (id: string, templateId: string, startedAt: string, terminals: string[]) => ({
    id,
    templateId,
    startedAt,
    terminals: terminals.map((t) => ({ id: t, name: t, status: 'passed' as const })),
  });

  it.each([
    {
      name: 'a re-run on the same terminals supersedes the first',
      runs: [
        run('r2', 'smoke', '2026-11-24T10:00:00Z', ['a', 'b']),
        run('r1', 'smoke', '2026-11-24T09:00:00Z', ['a', 'b']),
      ],
      superseded: ['r1'],
    },
    {
      name: 'a re-run on only one of two terminals leaves the first counting for the other',
      runs: [
        run('r2', 'smoke', '2026-11-24T10:00:00Z', ['a']),
        run('r1', 'smoke', '2026-11-24T09:00:00Z', ['a', 'b']),
      ],
      superseded: [],
    },
    {
      name: 'another checklist on the same terminals supersedes nothing',
      runs: [
        run('r2', 'uat', '2026-11-24T10:00:00Z', ['a', 'b']),
        run('r1', 'smoke', '2026-11-24T09:00:00Z', ['a', 'b']),
      ],
      superseded: [],
    },
    {
      name: 'two later partial runs together supersede the first',
      runs: [
        run('r3', 'smoke', '2026-11-24T11:00:00Z', ['b']),
        run('r2', 'smoke', '2026-11-24T10:00:00Z', ['a']),
        run('r1', 'smoke', '2026-11-24T09:00:00Z', ['a', 'b']),
      ],
      superseded: ['r1'],
    },
  ])('$name', ({ runs, superseded }) => {
    expect([...supersededRunIds(runs)].sort()).toEqual(superseded);
  });
});

describe('where focus goes after an answer', () => {
  it('to the follow-up the answer revealed, not past it', () => {
    const after = [
      { itemId: 'offline-sale', isVisible: true },
      { itemId: 'offline-sync', isVisible: true },
      { itemId: 'loyalty', isVisible: true },
    ];
    expect(nextItemId(after, 'offline-sale')).toBe('offline-sync');
  });

  it('over hidden items, and nowhere after the last', () => {
    const items = [
      { itemId: 'a', isVisible: true },
      { itemId: 'b', isVisible: false },
      { itemId: 'c', isVisible: true },
    ];
    expect(nextItemId(items, 'a')).toBe('c');
    expect(nextItemId(items, 'c')).toBeNull();
  });
});
