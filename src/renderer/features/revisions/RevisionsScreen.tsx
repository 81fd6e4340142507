/**
 * Revisions of runbooks and checklist templates: the list, and one
 * document's history (number, date, author, hash prefix, approvals x/N,
 * approved or waiting) with the line diff of the chosen version against the
 * previous one. A store console reads its catalog (read-only); a release
 * desk reads the central server, where a committee member approves.
 */
import { useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { IconArrowLeft, IconCheck, IconClock, IconHistory } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { REVISION_KINDS, type RevisionKind } from '#shared/revisions/revisions.ts';
import type { RevisionHistory } from '#shared/contract/revisions.ts';
import type { DeskRevisions } from '#shared/revisions/deskProtocol.ts';
import type { RevisionGate } from '#shared/revisions/gate.ts';
import { useCan } from '../../api/permissions.ts';
import { usePeople } from '../../api/usePeople.ts';
import { useSessionStatus } from '../../app/useSession.ts';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { formatDateTime } from '../../components/format.ts';
import { t } from '../../i18n/index.ts';
import { diffRows } from './diffHunks.ts';
import { historyPath } from './RevisionGateNote.tsx';
import {
  useApproveRevision,
  useDeskRevisionDocuments,
  useDeskRevisionHistory,
  useIsRevisionDesk,
  useRevisionDocuments,
  useRevisionHistory,
} from './queries.ts';
import { REVISION_TEST_IDS } from './testIds.ts';

/** The sign before each diff line, so a change reads without its colour (a real minus sign). */
const DIFF_SIGNS = { '+': '+', '-': '\u2212', ' ': ' ' } as const;

/** One version as both sources give it. */
type Version = {
  number: number;
  publishedAt: string;
  authorId: string;
  contentHash: string;
  requiredApprovals: number;
  approvals: Array<{ approverId: string; approvedAt: string }>;
  approvalCount: number;
  isApproved: boolean;
  diff: Array<{ op: ' ' | '+' | '-'; text: string }>;
};

function fromCatalog(history: RevisionHistory): Version[] {
  return history.revisions.map((r) => ({
    ...r,
    isApproved: r.approvalCount >= r.requiredApprovals,
  }));
}

function fromDesk(history: DeskRevisions): Version[] {
  return history.revisions.map((r) => ({
    number: r.number,
    publishedAt: r.publishedAt,
    authorId: r.authorId,
    contentHash: r.contentHash,
    requiredApprovals: r.requiredApprovals,
    approvals: r.approvals,
    approvalCount: new Set(r.approvals.map((a) => a.approverId).filter((id) => id !== r.authorId))
      .size,
    isApproved: r.approvedAt !== null,
    diff: r.diff,
  }));
}

function StatusBadge(props: { isApproved: boolean }) {
  return props.isApproved ? (
    <Badge color="green" variant="light" leftSection={<IconCheck size={12} />}>
      {t('revisions:status.approved')}
    </Badge>
  ) : (
    <Badge color="orange" variant="light" leftSection={<IconClock size={12} />}>
      {t('revisions:status.waiting')}
    </Badge>
  );
}

function GateBadge(props: { gate: RevisionGate }) {
  const { gate } = props;
  const color =
    gate.status === 'approved' ? 'green' : gate.status === 'unrecorded' ? 'gray' : 'orange';
  return (
    <Badge
      color={color}
      variant="light"
      data-testid={REVISION_TEST_IDS.status}
      leftSection={gate.isUsable ? <IconCheck size={12} /> : <IconClock size={12} />}
      title={gate.status === 'unrecorded' ? t('revisions:statusHint.unrecorded') : undefined}
    >
      {t(`revisions:status.${gate.status}`)}
      {'number' in gate ? ` · v${gate.number}` : ''}
    </Badge>
  );
}

function DocumentList() {
  const desk = useIsRevisionDesk();
  const local = useRevisionDocuments();
  const remote = useDeskRevisionDocuments(desk.isDesk);
  if (desk.isPending || (desk.isDesk ? remote.isPending : local.isPending))
    return <LoadingRows rows={4} />;
  if (desk.isDesk && remote.isError)
    return <ErrorState error={remote.error} onRetry={() => void remote.refetch()} />;
  if (!desk.isDesk && local.isError)
    return <ErrorState error={local.error} onRetry={() => void local.refetch()} />;
  const rows = desk.isDesk
    ? (remote.data?.documents ?? []).map((d) => ({
        key: `${d.kind}/${d.docId}`,
        kind: d.kind,
        docId: d.docId,
        title: d.title,
        version: t('revisions:latest', { latest: d.latestNumber }),
        status: (
          <Group gap={6}>
            {d.approvedNumber !== null && (
              <Badge color="green" variant="light" leftSection={<IconCheck size={12} />}>
                {t('revisions:approvedVersion', { number: d.approvedNumber })}
              </Badge>
            )}
            {d.waitingCount > 0 && (
              <Badge color="orange" variant="light" leftSection={<IconClock size={12} />}>
                {t('revisions:waitingCount', { count: d.waitingCount })}
              </Badge>
            )}
          </Group>
        ),
      }))
    : (local.data ?? []).map((d) => ({
        key: `${d.kind}/${d.docId}`,
        kind: d.kind,
        docId: d.docId,
        title: d.kind === 'runbook' ? t('revisions:runbookTitle', { version: d.title }) : d.title,
        version:
          'number' in d.gate ? t('revisions:latest', { latest: d.gate.number }) : t('common:dash'),
        status: <GateBadge gate={d.gate} />,
      }));
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {desk.isDesk ? t('revisions:subtitleDesk') : t('revisions:subtitle')}
      </Text>
      {rows.length === 0 ? (
        <Alert color="gray" variant="light">
          {desk.isDesk ? t('revisions:emptyDesk') : t('revisions:empty')}
        </Alert>
      ) : (
        <Table striped highlightOnHover verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('revisions:columns.document')}</Table.Th>
              <Table.Th>{t('revisions:columns.kind')}</Table.Th>
              <Table.Th>{t('revisions:columns.version')}</Table.Th>
              <Table.Th>{t('revisions:columns.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.key} data-testid={REVISION_TEST_IDS.row}>
                <Table.Td>
                  <Anchor component={Link} to={historyPath(row)} fw={600}>
                    {row.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>{t(`revisions:kind.${row.kind}`)}</Table.Td>
                <Table.Td ff="monospace">{row.version}</Table.Td>
                <Table.Td>{row.status}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function DiffPanel(props: { version: Version; previous: Version | null }) {
  const { version, previous } = props;
  const rows = diffRows(version.diff);
  const hasChanges = version.diff.some((l) => l.op !== ' ');
  return (
    <Paper withBorder radius="md" p="sm" data-testid={REVISION_TEST_IDS.diff}>
      <Group justify="space-between" align="baseline" mb={4}>
        <Title order={3} size="h4">
          {t('revisions:diffTitle', { number: version.number })}
        </Title>
        <Text size="xs" c="dimmed">
          {previous
            ? t('revisions:diffAgainst', { previous: previous.number })
            : t('revisions:diffFirst')}{' '}
          · {t('revisions:diffLegend')}
        </Text>
      </Group>
      {!hasChanges ? (
        <Text size="sm">{t('revisions:noChanges')}</Text>
      ) : (
        <div
          role="list"
          // Scrolls when long: keyboard users reach it and scroll it with the arrow keys.
          tabIndex={0}
          aria-label={t('revisions:diffTitle', { number: version.number })}
          style={{
            fontFamily: 'var(--mantine-font-family-monospace)',
            fontSize: 12,
            lineHeight: 1.5,
            overflowX: 'auto',
            maxHeight: 480,
            overflowY: 'auto',
          }}
        >
          {rows.map((row) =>
            row.kind === 'skip' ? (
              <div
                key={`skip-${row.key}`}
                role="listitem"
                style={{
                  color: 'var(--mantine-color-dimmed)',
                  padding: '2px 8px',
                  fontStyle: 'italic',
                }}
              >
                {t('revisions:unchanged', { count: row.count })}
              </div>
            ) : (
              <div
                key={row.key}
                role="listitem"
                data-testid={REVISION_TEST_IDS.diffLine}
                data-op={row.op === '+' ? 'added' : row.op === '-' ? 'removed' : 'same'}
                aria-label={
                  row.op === '+'
                    ? `${t('revisions:added')}: ${row.text}`
                    : row.op === '-'
                      ? `${t('revisions:removed')}: ${row.text}`
                      : undefined
                }
                style={{
                  display: 'flex',
                  whiteSpace: 'pre',
                  background:
                    row.op === '+'
                      ? 'var(--mantine-color-green-light)'
                      : row.op === '-'
                        ? 'var(--mantine-color-red-light)'
                        : undefined,
                }}
              >
                <span
                  aria-hidden
                  style={{
                    width: 24,
                    flex: 'none',
                    textAlign: 'center',
                    fontWeight: 700,
                    color:
                      row.op === '+'
                        ? 'var(--mantine-color-green-light-color)'
                        : row.op === '-'
                          ? 'var(--mantine-color-red-light-color)'
                          : 'var(--mantine-color-dimmed)',
                  }}
                >
                  {DIFF_SIGNS[row.op]}
                </span>
                <span>{row.text}</span>
              </div>
            ),
          )}
        </div>
      )}
    </Paper>
  );
}

function ApproveAction(props: {
  kind: RevisionKind;
  docId: string;
  version: Version;
  approvers: readonly string[];
}) {
  const { version } = props;
  const can = useCan('revisions:approve');
  const session = useSessionStatus();
  const userId = session.data?.session?.user.id ?? null;
  const approve = useApproveRevision(props.kind, props.docId);
  const reason = !can.allowed
    ? can.reason
    : userId === null || !props.approvers.includes(userId)
      ? t('revisions:cannotApprove.notCommittee')
      : userId === version.authorId
        ? t('revisions:cannotApprove.author')
        : version.approvals.some((a) => a.approverId === userId)
          ? t('revisions:cannotApprove.already')
          : null;
  return (
    <Stack gap={4}>
      <Group>
        <Button
          leftSection={<IconCheck size={16} />}
          disabled={reason !== null}
          loading={approve.isPending}
          onClick={() =>
            approve.mutate({ number: version.number, contentHash: version.contentHash })
          }
          data-testid={REVISION_TEST_IDS.approve}
        >
          {t('revisions:approve', { number: version.number })}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {reason ?? t('revisions:approveHint', { hash: version.contentHash.slice(0, 12) })}
      </Text>
      {approve.isSuccess && (
        <Alert color="green" variant="light">
          {t('revisions:approved', { number: version.number })}
        </Alert>
      )}
      {approve.isError && (
        <Alert color="red" variant="light">
          {approve.error.message}
        </Alert>
      )}
    </Stack>
  );
}

function VersionButton(props: { version: Version; isSelected: boolean; onSelect: () => void }) {
  const nameOf = usePeople();
  const { version } = props;
  return (
    <UnstyledButton
      onClick={props.onSelect}
      aria-pressed={props.isSelected}
      data-testid={REVISION_TEST_IDS.version}
      style={{
        display: 'block',
        width: '100%',
        padding: 8,
        borderRadius: 8,
        border: `2px solid ${props.isSelected ? 'var(--mantine-color-blue-filled)' : 'var(--mantine-color-default-border)'}`,
      }}
    >
      <Group justify="space-between" gap={6}>
        <Text fw={700} ff="monospace">
          {t('revisions:versionLabel', { number: version.number })}
        </Text>
        <StatusBadge isApproved={version.isApproved} />
      </Group>
      <Text size="xs">
        {t('revisions:published', {
          date: formatDateTime(version.publishedAt),
          author: nameOf(version.authorId),
        })}
      </Text>
      <Group gap="xs">
        <Text size="xs" ff="monospace" c="dimmed">
          {t('revisions:hash', { hash: version.contentHash.slice(0, 12) })}
        </Text>
        <Text size="xs" fw={600}>
          {version.requiredApprovals === 0
            ? t('revisions:noneRequired')
            : t('revisions:approvals', {
                have: version.approvalCount,
                need: version.requiredApprovals,
              })}
        </Text>
      </Group>
    </UnstyledButton>
  );
}

function History(props: { kind: RevisionKind; docId: string }) {
  const desk = useIsRevisionDesk();
  const local = useRevisionHistory(props.kind, props.docId, !desk.isPending && !desk.isDesk);
  const remote = useDeskRevisionHistory(props.kind, props.docId, desk.isDesk);
  const deskDocuments = useDeskRevisionDocuments(desk.isDesk);
  const [selected, setSelected] = useState<number | null>(null);
  const nameOf = usePeople();
  const query = desk.isDesk ? remote : local;
  if (desk.isPending || query.isPending) return <LoadingRows rows={5} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const versions = desk.isDesk ? fromDesk(remote.data!) : fromCatalog(local.data!);
  const deskTitle = deskDocuments.data?.documents.find(
    (d) => d.kind === props.kind && d.docId === props.docId,
  )?.title;
  const title = desk.isDesk ? (deskTitle ?? props.docId) : local.data!.title;
  const heldNumber = desk.isDesk ? null : local.data!.heldNumber;
  const current = versions.find((v) => v.number === selected) ?? versions[0] ?? null;
  const previous = current ? (versions.find((v) => v.number === current.number - 1) ?? null) : null;
  return (
    <Stack gap="sm" data-testid={REVISION_TEST_IDS.history}>
      <Title order={2} size="h3">
        {t(`revisions:kind.${props.kind}`)}:{' '}
        {props.kind === 'runbook' && title !== props.docId
          ? t('revisions:runbookTitle', { version: title })
          : title}
      </Title>
      {versions.length === 0 || current === null ? (
        <Alert color="gray" variant="light">
          {t('revisions:noHistory')}
        </Alert>
      ) : (
        <Group align="flex-start" wrap="nowrap" gap="md">
          <Stack gap="xs" w={300} style={{ flex: 'none' }}>
            <Text fw={600} size="sm">
              {t('revisions:versions')}
            </Text>
            {versions.map((v) => (
              <VersionButton
                key={v.number}
                version={v}
                isSelected={v.number === current.number}
                onSelect={() => setSelected(v.number)}
              />
            ))}
          </Stack>
          <Stack gap="sm" style={{ flex: 1, minWidth: 0 }}>
            <Paper withBorder radius="md" p="sm">
              <Group justify="space-between">
                <Text fw={700}>{t('revisions:versionLabel', { number: current.number })}</Text>
                <StatusBadge isApproved={current.isApproved} />
              </Group>
              <Text size="sm">
                {current.approvals.length === 0
                  ? t('revisions:noApprovals')
                  : t('revisions:approvedBy', {
                      names: current.approvals
                        .map((a) => `${nameOf(a.approverId)} (${formatDateTime(a.approvedAt)})`)
                        .join(', '),
                    })}
              </Text>
              <Text size="xs" ff="monospace" c="dimmed">
                {current.contentHash}
              </Text>
              {heldNumber === current.number && (
                <Text size="xs" c="dimmed">
                  {t('revisions:held')}
                </Text>
              )}
              {desk.isDesk && (
                <Stack mt="xs">
                  <ApproveAction
                    kind={props.kind}
                    docId={props.docId}
                    version={current}
                    approvers={remote.data!.approvers}
                  />
                </Stack>
              )}
            </Paper>
            <DiffPanel version={current} previous={previous} />
          </Stack>
        </Group>
      )}
    </Stack>
  );
}

function isRevisionKind(value: string | undefined): value is RevisionKind {
  return (REVISION_KINDS as readonly string[]).includes(value ?? '');
}

export function RevisionsScreen() {
  const params = useParams();
  const kind = params.kind;
  const docId = params.docId;
  return (
    <Stack gap="sm" data-testid={REVISION_TEST_IDS.screen}>
      <Group justify="space-between">
        <Title order={1}>
          <Group gap={8} component="span">
            <IconHistory size={26} />
            {t('revisions:title')}
          </Group>
        </Title>
        {docId !== undefined && (
          <Button
            component={Link}
            to="/revisions"
            variant="subtle"
            leftSection={<IconArrowLeft size={16} />}
          >
            {t('revisions:back')}
          </Button>
        )}
      </Group>
      {docId !== undefined && isRevisionKind(kind) ? (
        <History key={`${kind}/${docId}`} kind={kind} docId={docId} />
      ) : (
        <DocumentList />
      )}
    </Stack>
  );
}
