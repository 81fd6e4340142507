import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { revisionGate, type CatalogDocumentRevision } from './gate.ts';
import { revisionContentText } from './revisions.ts';

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
const content = { id: 'tpl-a', name: 'Smoke' };
const doc = { kind: 'checklistTemplate', docId: 'tpl-a', content } as const;
const published: CatalogDocumentRevision = {
  kind: 'checklistTemplate',
  docId: 'tpl-a',
  number: 1,
  contentHash: sha256Hex(revisionContentText(content)),
  authorId: 'u-ada',
  publishedAt: '2026-03-01T09:00:00.000Z',
  requiredApprovals: 0,
  approvals: [],
  diff: [],
};

describe('the start check under the server’s approval rule', () => {
  it('a revision published under a lower rule needs the server’s current count', () => {
    expect(revisionGate(doc, [published], sha256Hex)).toMatchObject({ status: 'approved' });
    expect(revisionGate(doc, [published], sha256Hex, { requiredApprovals: 1 })).toMatchObject({
      status: 'waiting',
      have: 0,
      need: 1,
    });
  });

  it('an unrecorded document runs only when the server requires no approvals', () => {
    expect(revisionGate(doc, [], sha256Hex, { requiredApprovals: 0 })).toEqual({
      status: 'unrecorded',
      isUsable: true,
    });
    expect(revisionGate(doc, [], sha256Hex, { requiredApprovals: 2 })).toEqual({
      status: 'unrecorded_required',
      isUsable: false,
      need: 2,
    });
  });
});
