/**
 * Where a run starts (a checklist run, a deployment plan), the console's
 * start check on the runbook or template: the reason a start is refused,
 * shown before anyone presses the button, with the way to its history.
 */
import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { RevisionDocumentView } from '#shared/contract/revisions.ts';
import { revisionGateText } from './gateText.ts';
import { useRevisionDocuments } from './queries.ts';
import { REVISION_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';

export type RevisionTarget =
  { kind: 'runbook'; releaseId: string } | { kind: 'checklistTemplate'; docId: string };

export function historyPath(doc: Pick<RevisionDocumentView, 'kind' | 'docId'>): string {
  return `/revisions/${doc.kind}/${encodeURIComponent(doc.docId)}`;
}

/** The document and why a start on it is refused (null: it may start, or it is not known yet). */
export function useRevisionBlock(target: RevisionTarget | null): {
  doc: RevisionDocumentView | null;
  reason: string | null;
} {
  const documents = useRevisionDocuments();
  const doc =
    target === null
      ? null
      : ((documents.data ?? []).find((d) =>
          target.kind === 'runbook'
            ? d.kind === 'runbook' && d.releaseId === target.releaseId
            : d.kind === 'checklistTemplate' && d.docId === target.docId,
        ) ?? null);
  return { doc, reason: doc ? revisionGateText(doc.kind, doc.gate) : null };
}

export function RevisionGateNote(props: { target: RevisionTarget | null }) {
  const { doc, reason } = useRevisionBlock(props.target);
  if (!doc || reason === null) return null;
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconHistory size={18} />}
      data-testid={REVISION_TEST_IDS.gateNote}
    >
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {reason}
        </Text>
        <Text size="sm">{t('revisions:gate.startRefused')}</Text>
        <Anchor component={Link} to={historyPath(doc)} size="sm">
          {t('revisions:openHint', {
            title:
              doc.kind === 'runbook'
                ? t('revisions:runbookTitle', { version: doc.title })
                : doc.title,
          })}
        </Anchor>
      </Stack>
    </Alert>
  );
}
