import { describe, expect, it } from 'vitest';
import { changeLanguage } from '../../i18n/index.ts';
import { revisionGateText } from './gateText.ts';

describe('why a start is refused, in the reader’s language', () => {
  it('names the server’s required approvals for a document with no approved version', async () => {
    const gate = { status: 'unrecorded_required', isUsable: false, need: 2 } as const;
    expect(revisionGateText('runbook', gate)).toMatch(
      /has no approved version, and the central server requires 2 approvals/,
    );
    await changeLanguage('de');
    try {
      expect(revisionGateText('checklistTemplate', { ...gate, need: 1 })).toMatch(
        /hat keine freigegebene Version, und der zentrale Server verlangt 1 Freigabe:/,
      );
    } finally {
      await changeLanguage('en');
    }
    // Without a rule from the server, an unrecorded document still runs.
    expect(revisionGateText('runbook', { status: 'unrecorded', isUsable: true })).toBeNull();
  });
});
