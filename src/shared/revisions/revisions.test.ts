import { describe, expect, it } from 'vitest';
import { revisionContentText, revisionDiff } from './revisions.ts';

describe('revision diffs and content hashes', () => {
  it('the first version is all added; a changed field is one line removed and one added', () => {
    const v1 = { id: 'tpl', name: 'Smoke', items: ['print', 'pay'] };
    expect(revisionDiff(null, v1).every((l) => l.op === '+')).toBe(true);
    const v2 = { ...v1, name: 'Smoke test', items: ['print', 'pay', 'refund'] };
    const changed = revisionDiff(v1, v2).filter((l) => l.op !== ' ');
    expect(changed).toEqual([
      { op: '-', text: '  "name": "Smoke",' },
      { op: '+', text: '  "name": "Smoke test",' },
      { op: '-', text: '    "pay"' },
      { op: '+', text: '    "pay",' },
      { op: '+', text: '    "refund"' },
    ]);
  });

  it('hashes the canonical form: key order does not change it, content does', () => {
    expect(revisionContentText({ b: 1, a: [2, 'x'] })).toBe('{"a":[2,"x"],"b":1}');
    expect(revisionContentText({ a: [2, 'x'], b: 1 })).toBe(
      revisionContentText({ b: 1, a: [2, 'x'] }),
    );
  });
});
