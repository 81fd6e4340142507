/**
 * Change requests of one store: what each asks in plain words, its impact and
 * risk, who asked, and its status. A store manager or an administrator
 * approves or rejects with a note; the requester is told why they cannot
 * decide their own; every refusal of the back end is shown as it says it.
 */
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { IconBuildingStore, IconFilePencil, IconLock } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ChangeRequest } from '#shared/deployments/changeRequests.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { useCan } from '../../api/permissions.ts';
import { useSession } from '../../app/useSession.ts';
import contrast from '../../components/contrast.module.css';
import { ExportButton, pagesOf } from '../../components/ExportButton.tsx';
import { changeRequestExportColumns } from './changeRequestExport.ts';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { useStores } from '../checklists/queries.ts';
import { useWorkContext } from '../checklists/useWorkContext.ts';
import { formatStoreDateTime } from '../deployments/timeline/format.ts';
import { NewChangeRequestButton } from './NewChangeRequestButton.tsx';
import { decisionAccess, describeDeviation, sortForReview } from './deviationText.ts';
import { useChangeRequests, useDecideChangeRequest, useDeviationNamer } from './queries.ts';
import { CHANGE_REQUEST_TEST_IDS } from './testIds.ts';
import { RISK_COLORS, STATUS_COLORS } from './text.ts';
import { ProvenanceBadge } from '../../components/ProvenanceBadge.tsx';
import { t } from '../../i18n/index.ts';

// A table cell may shrink below a badge's text (the label clips by default): the word must stay whole.
const WHOLE_LABEL = { label: { overflow: 'visible' } } as const;

export function ChangeRequestsScreen() {
  const context = useWorkContext();
  const stores = useStores();
  // Someone who works in one store only has nothing to choose.
  const onlyStore = stores.data?.length === 1 ? stores.data[0]!.id : null;
  const storeId = context.storeId ?? onlyStore;
  const timezone = stores.data?.find((s) => s.id === storeId)?.timezone ?? 'UTC';
  return (
    <Stack gap="sm" className={contrast.contrast}>
      <div>
        <Title order={1}>{t('changeRequests:title')}</Title>
        <Text size="sm" c="dimmed">
          {t('changeRequests:subtitle')}
        </Text>
      </div>
      {(stores.data?.length ?? 0) !== 1 && (
        <Select
          label={t('changeRequests:store')}
          placeholder={t('changeRequests:storePlaceholder')}
          leftSection={<IconBuildingStore size={16} />}
          data={(stores.data ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.ring})` }))}
          value={storeId}
          onChange={(value) => context.setStoreId(value)}
          searchable
          w={300}
          size="sm"
          disabled={stores.isPending}
          error={stores.isError ? stores.error.message : undefined}
          data-testid={CHANGE_REQUEST_TEST_IDS.storeSelect}
        />
      )}
      {storeId !== null && (
        <Group>
          <NewChangeRequestButton storeId={storeId} timezone={timezone} />
        </Group>
      )}
      {storeId === null ? (
        <Empty
          title={t('changeRequests:noStore')}
          description={t('changeRequests:noStoreHint')}
          icon={<IconFilePencil />}
        />
      ) : (
        <StoreChangeRequests storeId={storeId} timezone={timezone} />
      )}
    </Stack>
  );
}

function StoreChangeRequests(props: { storeId: string; timezone: string }) {
  const api = useApi();
  const list = useChangeRequests(props.storeId);
  const nameOf = useDeviationNamer();
  const users = useQuery({
    queryKey: queryKeys.users(),
    queryFn: () => api['session:listUsers']({}),
    staleTime: 300_000,
  });
  const personName = (userId: string) => users.data?.find((u) => u.id === userId)?.name ?? userId;
  if (list.isPending) return <LoadingRows rows={4} height={40} />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  if (list.data.length === 0) {
    return (
      <div data-testid={CHANGE_REQUEST_TEST_IDS.empty}>
        <Empty
          title={t('changeRequests:empty')}
          description={t('changeRequests:emptyHint')}
          icon={<IconFilePencil />}
        />
      </div>
    );
  }
  const when = (at: number) => formatStoreDateTime(at, props.timezone);
  return (
    <Stack gap="xs">
      <Group justify="flex-end">
        <ExportButton
          what={t('csv:exportName.changeRequests', { store: props.storeId })}
          columns={changeRequestExportColumns({
            deviation: (request) => describeDeviation(request.deviation, nameOf(request.deviation)),
            person: personName,
            when,
          })}
          total={list.data.length}
          loadPage={pagesOf(list.data)}
        />
      </Group>
      <Table.ScrollContainer minWidth={960}>
        <Table
          withTableBorder
          verticalSpacing="xs"
          horizontalSpacing="xs"
          fz="sm"
          data-testid={CHANGE_REQUEST_TEST_IDS.table}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('changeRequests:columns.status')}</Table.Th>
              <Table.Th>{t('changeRequests:columns.what')}</Table.Th>
              <Table.Th>{t('changeRequests:columns.impact')}</Table.Th>
              <Table.Th>{t('changeRequests:columns.risk')}</Table.Th>
              <Table.Th>{t('changeRequests:columns.requested')}</Table.Th>
              <Table.Th w={320}>{t('changeRequests:columns.decision')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sortForReview(list.data).map((request) => (
              <Table.Tr
                key={request.id}
                data-testid={CHANGE_REQUEST_TEST_IDS.row}
                data-id={request.id}
                data-status={request.status}
                style={{ verticalAlign: 'top' }}
              >
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Badge
                    styles={WHOLE_LABEL}
                    color={STATUS_COLORS[request.status]}
                    variant="filled"
                    data-testid={CHANGE_REQUEST_TEST_IDS.status}
                  >
                    {t(`domain:changeRequestStatus.${request.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td maw={340}>
                  {describeDeviation(request.deviation, nameOf(request.deviation))}
                </Table.Td>
                <Table.Td maw={280} style={{ whiteSpace: 'pre-wrap' }}>
                  {request.impactNote}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Badge styles={WHOLE_LABEL} color={RISK_COLORS[request.risk]} variant="light">
                    {t(`domain:risk.${request.risk}`)}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm">{personName(request.requestedBy.userId)}</Text>
                  <ProvenanceBadge subject={{ kind: 'changeRequest', id: request.id }} />
                  <Text size="xs" c="dimmed">
                    {when(request.requestedAt)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <DecisionCell request={request} personName={personName} when={when} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function DecisionCell(props: {
  request: ChangeRequest;
  personName: (userId: string) => string;
  when: (at: number) => string;
}) {
  const session = useSession();
  const canDecide = useCan('changeRequests:decide');
  const decide = useDecideChangeRequest();
  const [note, setNote] = useState('');
  const { request } = props;
  if (request.status !== 'pending') {
    return (
      <div>
        <Text size="sm">
          {request.decidedBy !== null && request.decidedAt !== null
            ? t('changeRequests:decidedBy', {
                who: props.personName(request.decidedBy.userId),
                when: props.when(request.decidedAt),
              })
            : t(`domain:changeRequestStatus.${request.status}`)}
        </Text>
        <Text size="xs" c="dimmed">
          {request.decisionNote ?? t('changeRequests:noNote')}
        </Text>
      </div>
    );
  }
  if (session === null) return null;
  // The request's own rule says the most precise why (your own request, its risk and kind);
  // the contract's role rule still guards it, so a role the back end refuses is never offered the buttons.
  const ruled = decisionAccess(request, { userId: session.user.id, role: session.user.role });
  const access: ReturnType<typeof decisionAccess> =
    ruled.kind === 'can_decide' && !canDecide.allowed
      ? { kind: 'cannot_decide', reason: canDecide.reason ?? '' }
      : ruled;
  if (access.kind === 'cannot_decide') {
    return (
      <Stack gap={2}>
        <Text size="xs" c="dimmed">
          {t('changeRequests:pendingDecision')}
        </Text>
        <Group
          gap={6}
          wrap="nowrap"
          align="flex-start"
          data-testid={CHANGE_REQUEST_TEST_IDS.cannotDecide}
        >
          <IconLock size={14} style={{ flexShrink: 0, marginTop: 3 }} aria-hidden />
          <Text size="sm">{access.reason}</Text>
        </Group>
      </Stack>
    );
  }
  if (access.kind === 'decided') return null;
  const send = (isApproved: boolean) =>
    decide.mutate({ changeRequestId: request.id, isApproved, note: note.trim() });
  return (
    <Stack gap={6}>
      <Textarea
        aria-label={t('changeRequests:decideNote')}
        placeholder={t('changeRequests:decideNotePlaceholder')}
        description={t('changeRequests:decideNote')}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        autosize
        minRows={1}
        maxLength={2_000}
        size="xs"
        data-testid={CHANGE_REQUEST_TEST_IDS.decideNote}
      />
      <Group gap="xs">
        <Button
          size="xs"
          color="teal"
          loading={decide.isPending && decide.variables.isApproved}
          disabled={decide.isPending}
          onClick={() => send(true)}
          data-testid={CHANGE_REQUEST_TEST_IDS.approve}
        >
          {t('changeRequests:approve')}
        </Button>
        <Button
          size="xs"
          color="red"
          variant="outline"
          loading={decide.isPending && !decide.variables.isApproved}
          disabled={decide.isPending || note.trim() === ''}
          onClick={() => send(false)}
          data-testid={CHANGE_REQUEST_TEST_IDS.reject}
        >
          {t('changeRequests:reject')}
        </Button>
      </Group>
      {decide.error && (
        <Alert color="red" variant="light" p="xs" data-testid={CHANGE_REQUEST_TEST_IDS.decideError}>
          {decide.error.message}
        </Alert>
      )}
    </Stack>
  );
}
