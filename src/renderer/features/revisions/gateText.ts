/** The start check in the reader's language: what is missing before a run may start. */
import { assertNever } from '#shared/errors.ts';
import type { RevisionGate } from '#shared/revisions/gate.ts';
import type { RevisionKind } from '#shared/revisions/revisions.ts';
import { t } from '../../i18n/index.ts';

/** Null when runs may start. */
export function revisionGateText(kind: RevisionKind, gate: RevisionGate): string | null {
  const what = t(`revisions:kind.${kind}`);
  switch (gate.status) {
    case 'approved':
    case 'unrecorded':
      return null;
    case 'waiting':
      return t('revisions:gate.waiting', {
        what,
        number: gate.number,
        count: gate.need - gate.have,
        have: gate.have,
        need: gate.need,
      });
    case 'unknown_content':
      return t('revisions:gate.unknown_content', { what, hash: gate.contentHash.slice(0, 12) });
    case 'unrecorded_required':
      return t('revisions:gate.unrecorded_required', { what, count: gate.need });
    default:
      return assertNever(gate, 'revision gate');
  }
}
