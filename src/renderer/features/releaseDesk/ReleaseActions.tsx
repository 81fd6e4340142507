/**
 * What a release manager does with the chosen release: its lifecycle and any
 * block (with the reason), each ring's promotion gate in plain words (why the
 * server would refuse), promote with an optional staged percentage, an
 * administrator's override with a reason, block and unblock, raise a ring's
 * staged percentage, and schedule a window in the stores' local time. The
 * server decides every one of them; a refusal is shown as it gave it.
 */
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import type { ReleaseDeskState } from '#shared/contract/releaseDesk.ts';
import { RINGS, type Ring } from '#shared/domain/releases.ts';
import { gateReasonSchema } from '#shared/releases/gateReasons.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { isApiError } from '../../api/client.ts';
import { useCan } from '../../api/permissions.ts';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { formatDateTime } from '../../components/format.ts';
import { t } from '../../i18n/index.ts';
import { RELEASE_DESK_TEST_IDS } from './testIds.ts';

type Gate = ReleaseDeskState['gates'][number];
type LifecycleState = ReleaseDeskState['lifecycle']['state'];

/** i18next reads ':' as its namespace separator: the lifecycle's "released:pilot" is "released_pilot" there. */
const LIFECYCLE_KEY = {
  planned: 'planned',
  feature_freeze: 'feature_freeze',
  candidate: 'candidate',
  'released:lab': 'released_lab',
  'released:pilot': 'released_pilot',
  'released:early': 'released_early',
  general: 'general',
  retired: 'retired',
  blocked: 'blocked',
} as const satisfies Record<LifecycleState, string>;
type GateReason = Gate['reasons'][number];

/** A gate's reason as a release manager reads it. */
function reasonWords(reason: GateReason): string {
  switch (reason.code) {
    case 'go_share':
      return t('releaseDesk:gate.goShare', {
        ring: t(`releaseDesk:rings.${reason.ring}`),
        go: reason.goStores,
        stores: reason.stores,
        actual: reason.actualPercent,
        required: reason.requiredPercent,
      });
    case 'open_blockers':
      return t('releaseDesk:gate.openBlockers', { count: reason.count });
  }
}

/** The server's 409 promotion_gated body, carried as the refusal's details. */
const gatedRefusal = z.object({
  code: z.literal('promotion_gated'),
  reasons: z.array(gateReasonSchema).min(1),
});

/**
 * A refused promotion or staging: a gated promotion lists the server's reasons
 * in the desk's own words (the evidence as the server judged it when asked,
 * which may be newer than the gate shown above); anything else as the server
 * said it.
 */
function ActionRefusal({ error }: { error: unknown }) {
  const gated = isApiError(error) ? gatedRefusal.safeParse(error.details) : null;
  if (!gated?.success) return <ErrorState error={error} title={t('releaseDesk:actionFailed')} />;
  return (
    <Alert color="red" variant="light" title={t('releaseDesk:refusedTitle')}>
      <Stack gap={2}>
        {gated.data.reasons.map((r) => (
          <Text key={r.code} size="sm">
            {reasonWords(r)}
          </Text>
        ))}
        <Text size="sm">{t('releaseDesk:refusedHint')}</Text>
      </Stack>
    </Alert>
  );
}

function GateRow({
  gate,
  rollout,
  releaseId,
  isBlocked,
}: {
  gate: Gate;
  rollout: ReleaseDeskState['rollouts'][number] | undefined;
  releaseId: string;
  /** The server refuses promoting or staging a blocked release; the buttons say so before a click. */
  isBlocked: boolean;
}) {
  const api = useApi();
  const client = useQueryClient();
  const permission = useCan('releaseDesk:promote');
  const canPromote = isBlocked
    ? { allowed: false, reason: t('releaseDesk:promoteBlocked') }
    : permission;
  const [percent, setPercent] = useState<number | string>(rollout?.percent ?? 100);
  const [overrideReason, setOverrideReason] = useState('');
  const [isOverriding, setIsOverriding] = useState(false);
  const done = () => void client.invalidateQueries({ queryKey: ['desk'] });
  const promote = useMutation({
    mutationFn: (override: string | undefined) =>
      api['releaseDesk:promote']({
        releaseId,
        ring: gate.ring,
        percent: Number(percent),
        ...(override ? { overrideReason: override } : {}),
      }),
    onSuccess: () => {
      setIsOverriding(false);
      done();
    },
    // Refused on evidence newer than the gate shown: the gates are read again so both agree.
    onError: done,
  });
  const stage = useMutation({
    mutationFn: () =>
      api['releaseDesk:stage']({ releaseId, ring: gate.ring, percent: Number(percent) }),
    onSuccess: done,
  });
  return (
    <Table.Tr data-testid={RELEASE_DESK_TEST_IDS.gate} data-ring={gate.ring}>
      <Table.Td>
        <Text size="sm" fw={600}>
          {t(`releaseDesk:rings.${gate.ring}`)}
        </Text>
        {rollout && (
          <Text size="xs" c="dimmed">
            {t('releaseDesk:rollout', { percent: rollout.percent })}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {gate.isAllowed ? (
          <Badge color="teal" variant="light">
            {t('releaseDesk:gate.allowed')}
          </Badge>
        ) : (
          <Stack gap={2} data-testid={RELEASE_DESK_TEST_IDS.gateReasons}>
            {gate.reasons.map((r) => (
              <Text key={r.code} size="sm" c="var(--mantine-color-red-text)">
                {reasonWords(r)}
              </Text>
            ))}
          </Stack>
        )}
      </Table.Td>
      <Table.Td>
        <Stack gap={6}>
          <Group gap={6} wrap="nowrap">
            <NumberInput
              aria-label={t('releaseDesk:percentOf', { ring: t(`releaseDesk:rings.${gate.ring}`) })}
              value={percent}
              onChange={setPercent}
              min={0}
              max={100}
              suffix=" %"
              w={90}
              size="xs"
            />
            <Button
              size="xs"
              onClick={() => promote.mutate(undefined)}
              loading={promote.isPending && !isOverriding}
              disabled={!canPromote.allowed}
              title={canPromote.reason ?? undefined}
            >
              {t('releaseDesk:promote')}
            </Button>
            {rollout && (
              <Button
                size="xs"
                variant="default"
                onClick={() => stage.mutate()}
                loading={stage.isPending}
                disabled={!canPromote.allowed}
                title={canPromote.reason ?? undefined}
              >
                {t('releaseDesk:stage')}
              </Button>
            )}
            {!gate.isAllowed && canPromote.allowed && (
              <Button size="xs" variant="subtle" color="red" onClick={() => setIsOverriding(true)}>
                {t('releaseDesk:override')}
              </Button>
            )}
          </Group>
          {isOverriding && (
            <Group gap={6} align="flex-end" wrap="nowrap">
              <TextInput
                size="xs"
                label={t('releaseDesk:overrideReason')}
                value={overrideReason}
                onChange={(e) => setOverrideReason(e.currentTarget.value)}
                w={260}
              />
              <Button
                size="xs"
                color="red"
                loading={promote.isPending}
                onClick={() => promote.mutate(overrideReason)}
              >
                {t('releaseDesk:overrideConfirm')}
              </Button>
            </Group>
          )}
          {promote.isError && <ActionRefusal error={promote.error} />}
          {stage.isError && <ActionRefusal error={stage.error} />}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

function BlockControls({ state }: { state: ReleaseDeskState }) {
  const api = useApi();
  const client = useQueryClient();
  const canBlock = useCan('releaseDesk:block');
  const [reason, setReason] = useState('');
  const isBlocked = state.lifecycle.state === 'blocked';
  const done = () => {
    setReason('');
    void client.invalidateQueries({ queryKey: ['desk'] });
  };
  const block = useMutation({
    mutationFn: () => api['releaseDesk:block']({ releaseId: state.releaseId, reason }),
    onSuccess: done,
  });
  const unblock = useMutation({
    mutationFn: () =>
      api['releaseDesk:unblock']({
        releaseId: state.releaseId,
        ...(reason.trim() ? { reason } : {}),
      }),
    onSuccess: done,
  });
  const action = isBlocked ? unblock : block;
  return (
    <Stack gap={6}>
      <Group gap={6} align="flex-end">
        <Textarea
          label={isBlocked ? t('releaseDesk:unblockReason') : t('releaseDesk:blockReason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          autosize
          minRows={1}
          w={360}
        />
        <Button
          color={isBlocked ? 'teal' : 'red'}
          variant={isBlocked ? 'light' : 'filled'}
          onClick={() => action.mutate()}
          loading={action.isPending}
          disabled={!canBlock.allowed}
          title={canBlock.reason ?? undefined}
        >
          {isBlocked ? t('releaseDesk:unblock') : t('releaseDesk:block')}
        </Button>
      </Group>
      {action.isError && <ErrorState error={action.error} />}
    </Stack>
  );
}

function ScheduleControls({ releaseId }: { releaseId: string }) {
  const api = useApi();
  const client = useQueryClient();
  const canSchedule = useCan('releaseDesk:schedule');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [ring, setRing] = useState<string | null>('pilot');
  const schedule = useMutation({
    mutationFn: () =>
      api['releaseDesk:schedule']({ releaseId, start, end, cohortRing: (ring ?? 'pilot') as Ring }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['desk'] }),
  });
  return (
    <Stack gap={6}>
      <Group gap={6} align="flex-end">
        <Select
          label={t('releaseDesk:windowRing')}
          data={RINGS.map((r) => ({ value: r, label: t(`releaseDesk:rings.${r}`) }))}
          value={ring}
          onChange={setRing}
          w={150}
        />
        <TextInput
          type="datetime-local"
          label={t('releaseDesk:windowStart')}
          value={start}
          onChange={(e) => setStart(e.currentTarget.value)}
        />
        <TextInput
          type="datetime-local"
          label={t('releaseDesk:windowEnd')}
          value={end}
          onChange={(e) => setEnd(e.currentTarget.value)}
        />
        <Button
          variant="default"
          onClick={() => schedule.mutate()}
          loading={schedule.isPending}
          disabled={!canSchedule.allowed || !start || !end}
          title={canSchedule.reason ?? undefined}
        >
          {t('releaseDesk:schedule')}
        </Button>
      </Group>
      {schedule.isError && <ErrorState error={schedule.error} />}
    </Stack>
  );
}

export function ReleaseActions({ releaseId }: { releaseId: string }) {
  const api = useApi();
  const state = useQuery({
    queryKey: ['desk', 'releaseState', releaseId],
    queryFn: () => api['releaseDesk:state']({ releaseId }),
  });
  if (state.isPending) return <LoadingRows rows={3} />;
  if (state.isError) return <ErrorState error={state.error} onRetry={() => void state.refetch()} />;
  const s = state.data;
  const rollouts = new Map(s.rollouts.map((r) => [r.ring, r]));
  const windows = { open: 0, upcoming: 0, expired: 0 };
  for (const w of s.windows) windows[w.status]++;
  return (
    <Paper withBorder p="sm" data-testid={RELEASE_DESK_TEST_IDS.actions}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('releaseDesk:actionsTitle', { version: s.version })}
          </Title>
          <Badge
            color={s.lifecycle.state === 'blocked' ? 'red' : 'blue'}
            variant="light"
            data-testid={RELEASE_DESK_TEST_IDS.lifecycle}
          >
            {t(`releaseDesk:lifecycle.${LIFECYCLE_KEY[s.lifecycle.state]}`)}
          </Badge>
        </Group>
        {s.lifecycle.state === 'blocked' && (
          <Alert color="red" title={t('releaseDesk:blockedTitle')}>
            {s.lifecycle.blockReason}
          </Alert>
        )}
        <Table withTableBorder verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('releaseDesk:ring')}</Table.Th>
              <Table.Th>{t('releaseDesk:gate.title')}</Table.Th>
              <Table.Th>{t('releaseDesk:gate.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.gates.map((g) => (
              <GateRow
                key={g.ring}
                gate={g}
                rollout={rollouts.get(g.ring)}
                releaseId={releaseId}
                isBlocked={s.lifecycle.state === 'blocked'}
              />
            ))}
          </Table.Tbody>
        </Table>
        {s.promotions.some((p) => p.isOverride) && (
          <Alert color="orange">
            {s.promotions
              .filter((p) => p.isOverride)
              .map((p) =>
                t('releaseDesk:overridden', {
                  ring: t(`releaseDesk:rings.${p.ring}`),
                  by: p.actedBy,
                  reason: p.overrideReason ?? '',
                }),
              )
              .join(' ')}
          </Alert>
        )}
        {s.blockedStarts.length > 0 && (
          <Alert
            color="red"
            variant="light"
            title={t('releaseDesk:blockedStarts', { count: s.blockedStarts.length })}
            data-testid={RELEASE_DESK_TEST_IDS.blockedStarts}
          >
            {s.blockedStarts
              .slice(0, 10)
              .map((b) =>
                t('releaseDesk:blockedStart', {
                  store: b.storeId,
                  deployment: b.deploymentId,
                  at: formatDateTime(b.at),
                }),
              )
              .join(' · ')}
          </Alert>
        )}
        <BlockControls state={s} />
        <ScheduleControls releaseId={releaseId} />
        <Text size="xs" c="dimmed">
          {t('releaseDesk:windows', windows)}
        </Text>
      </Stack>
    </Paper>
  );
}
