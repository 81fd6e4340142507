import { describe, expect, it } from 'vitest';
import { judgeAnswer, type Answer } from './answers.ts';
import { combineRunStatus, evaluateTerminal, type ItemAnswer, type RunStatus } from './status.ts';
import {
  checklistTemplate,
  templateProblems,
  type ChecklistItem,
  type ChecklistTemplate,
} from './template.ts';

const number: ChecklistItem = {
  id: 'print',
  title: 'Receipt printed in time',
  instructions: '',
  isMandatory: true,
  answer: { type: 'number', unit: 'ms', min: 0, max: 60_000, threshold: { op: '<=', value: 2000 } },
};
const choice: ChecklistItem = {
  id: 'drawer',
  title: 'Cash drawer',
  instructions: '',
  isMandatory: true,
  answer: {
    type: 'choice',
    options: [
      { id: 'opens', label: 'Opens' },
      { id: 'closed', label: 'Does not open' },
    ],
    failingOptionIds: ['closed'],
  },
};

describe('judgeAnswer', () => {
  const TABLE: Array<[string, ChecklistItem, Answer, number, string]> = [
    [
      'pass',
      { ...number, answer: { type: 'passFail' } },
      { type: 'passFail', value: 'pass' },
      0,
      'pass',
    ],
    [
      'fail',
      { ...number, answer: { type: 'passFail' } },
      { type: 'passFail', value: 'fail' },
      0,
      'fail',
    ],
    [
      'not applicable',
      { ...number, answer: { type: 'passFail' } },
      { type: 'passFail', value: 'na' },
      0,
      'na',
    ],
    ['number at the threshold passes', number, { type: 'number', value: 2000 }, 0, 'pass'],
    ['number over the threshold fails', number, { type: 'number', value: 2001 }, 0, 'fail'],
    [
      '>= threshold',
      {
        ...number,
        answer: { type: 'number', unit: 'bars', min: 0, max: 5, threshold: { op: '>=', value: 3 } },
      },
      { type: 'number', value: 2 },
      0,
      'fail',
    ],
    [
      'number outside the plausible range',
      number,
      { type: 'number', value: 60_001 },
      0,
      'refused: outside the plausible range',
    ],
    [
      'negative number below min',
      number,
      { type: 'number', value: -1 },
      0,
      'refused: outside the plausible range',
    ],
    [
      'wrong answer type',
      number,
      { type: 'passFail', value: 'pass' },
      0,
      'refused: expects a measured number',
    ],
    ['choice that passes', choice, { type: 'choice', optionId: 'opens' }, 0, 'pass'],
    ['choice that fails', choice, { type: 'choice', optionId: 'closed' }, 0, 'fail'],
    [
      'unknown choice',
      choice,
      { type: 'choice', optionId: 'gone' },
      0,
      'refused: not one of the choices',
    ],
    [
      'text',
      { ...number, answer: { type: 'text', maxLength: 5 } },
      { type: 'text', value: 'fine' },
      0,
      'pass',
    ],
    [
      'text too long',
      { ...number, answer: { type: 'text', maxLength: 5 } },
      { type: 'text', value: 'too long' },
      0,
      'refused: at most 5 characters',
    ],
    ['photo with its file', { ...number, answer: { type: 'photo' } }, { type: 'photo' }, 1, 'pass'],
    [
      'photo without a file',
      { ...number, answer: { type: 'photo' } },
      { type: 'photo' },
      0,
      'refused: needs a photo',
    ],
    [
      'signature without a drawing',
      { ...number, answer: { type: 'signature' } },
      { type: 'signature' },
      0,
      'refused: needs a drawn signature',
    ],
    ['blocked on any item', number, { type: 'blocked', reason: 'printer missing' }, 0, 'blocked'],
  ];
  it.each(TABLE)('%s', (_name, item, answer, evidence, expected) => {
    const j = judgeAnswer(item, answer, evidence);
    if (expected.startsWith('refused: ')) {
      expect(j.ok).toBe(false);
      expect(j.ok ? '' : j.message).toContain(expected.slice('refused: '.length));
    } else {
      expect(j).toEqual({ ok: true, outcome: expected });
    }
  });
});

const template: ChecklistTemplate = {
  id: 'tpl',
  name: 'T',
  kind: 'smoke',
  version: 1,
  description: '',
  sections: [
    {
      id: 's',
      title: 'S',
      items: [
        { id: 'a', title: 'A', instructions: '', isMandatory: true, answer: { type: 'passFail' } },
        choice,
        {
          id: 'note',
          title: 'Note',
          instructions: '',
          isMandatory: true,
          answer: { type: 'text', maxLength: 100 },
          showWhen: { itemId: 'drawer', answers: ['closed'] },
        },
        {
          id: 'opt',
          title: 'Optional',
          instructions: '',
          isMandatory: false,
          answer: { type: 'passFail' },
        },
      ],
    },
  ],
};

const pf = (value: 'pass' | 'fail' | 'na'): ItemAnswer => ({
  answer: { type: 'passFail', value },
  outcome: value,
});
const drawer = (optionId: 'opens' | 'closed'): ItemAnswer => ({
  answer: { type: 'choice', optionId },
  outcome: optionId === 'closed' ? 'fail' : 'pass',
});
const text: ItemAnswer = { answer: { type: 'text', value: 'stuck' }, outcome: 'pass' };
const blocked: ItemAnswer = {
  answer: { type: 'blocked', reason: 'no drawer here' },
  outcome: 'blocked',
};

describe('evaluateTerminal', () => {
  const TABLE: Array<{
    name: string;
    answers: Record<string, ItemAnswer>;
    waived?: string[];
    status: RunStatus;
    score: number | null;
    completion: number;
    noteVisible: boolean;
  }> = [
    {
      name: 'nothing answered',
      answers: {},
      status: 'not_started',
      score: null,
      completion: 0,
      noteVisible: false,
    },
    {
      name: 'some answered',
      answers: { a: pf('pass') },
      status: 'in_progress',
      score: 100,
      completion: 33,
      noteVisible: false,
    },
    {
      name: 'all mandatory passed',
      answers: { a: pf('pass'), drawer: drawer('opens') },
      status: 'passed',
      score: 100,
      completion: 66,
      noteVisible: false,
    },
    {
      name: 'n/a counts as done',
      answers: { a: pf('na'), drawer: drawer('opens') },
      status: 'passed',
      score: 100,
      completion: 66,
      noteVisible: false,
    },
    {
      name: 'a failed mandatory item fails the run',
      answers: { a: pf('fail'), drawer: drawer('opens') },
      status: 'failed',
      score: 50,
      completion: 66,
      noteVisible: false,
    },
    {
      name: 'a failed optional item does not fail the run',
      answers: { a: pf('pass'), drawer: drawer('opens'), opt: pf('fail') },
      status: 'passed',
      score: 66,
      completion: 100,
      noteVisible: false,
    },
    {
      name: 'a failing choice shows the conditional item',
      answers: { a: pf('pass'), drawer: drawer('closed') },
      status: 'failed',
      score: 50,
      completion: 50,
      noteVisible: true,
    },
    {
      name: 'waived failure with the conditional answered',
      answers: { a: pf('pass'), drawer: drawer('closed'), note: text },
      waived: ['drawer'],
      status: 'waived',
      // The waiver lets the run pass; the drawer still counts as not passed.
      score: 66,
      completion: 75,
      noteVisible: true,
    },
    {
      name: 'blocked mandatory item blocks',
      answers: { a: pf('pass'), drawer: blocked },
      status: 'blocked',
      score: 50,
      completion: 66,
      noteVisible: false,
    },
    {
      name: 'waived blocked item',
      answers: { a: pf('pass'), drawer: blocked },
      waived: ['drawer'],
      status: 'waived',
      score: 50,
      completion: 66,
      noteVisible: false,
    },
    {
      name: 'a hidden item’s answer is ignored',
      answers: { a: pf('pass'), drawer: drawer('opens'), note: text },
      status: 'passed',
      score: 100,
      completion: 66,
      noteVisible: false,
    },
  ];
  it.each(TABLE)(
    '$name → $status',
    ({ answers, waived, status, score, completion, noteVisible }) => {
      const e = evaluateTerminal(template, new Map(Object.entries(answers)), new Set(waived ?? []));
      expect({
        status: e.status,
        score: e.score.percent,
        completion: e.completion,
        noteVisible: e.items.find((i) => i.itemId === 'note')!.isVisible,
      }).toEqual({
        status,
        score,
        completion,
        noteVisible,
      });
    },
  );

  it('combines terminals: the worst decides', () => {
    const TABLE: Array<[RunStatus[], RunStatus]> = [
      [[], 'not_started'],
      [['not_started', 'not_started'], 'not_started'],
      [['passed', 'not_started'], 'in_progress'],
      [['passed', 'in_progress'], 'in_progress'],
      [['passed', 'passed'], 'passed'],
      [['passed', 'waived'], 'waived'],
      [['blocked', 'passed'], 'blocked'],
      [['blocked', 'failed'], 'failed'],
    ];
    for (const [statuses, expected] of TABLE)
      expect(combineRunStatus(statuses), statuses.join(',')).toBe(expected);
  });
});

describe('template validation', () => {
  it('accepts the example and refuses conditions on later or unknown items, impossible answers and duplicate ids', () => {
    expect(checklistTemplate.safeParse(template).success).toBe(true);
    const bad = structuredClone(template);
    bad.sections[0]!.items[0]!.showWhen = { itemId: 'drawer', answers: ['closed'] };
    bad.sections[0]!.items[2]!.showWhen = { itemId: 'drawer', answers: ['exploded'] };
    bad.sections[0]!.items[3]!.id = 'a';
    expect(templateProblems(bad)).toEqual([
      'item a: showWhen must name an earlier item (drawer is not one)',
      'item note: drawer can never be answered "exploded"',
      'item id a is used twice',
    ]);
    expect(checklistTemplate.safeParse(bad).success).toBe(false);
  });
});
