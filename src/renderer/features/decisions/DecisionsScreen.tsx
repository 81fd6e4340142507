/**
 * Go / no-go for a release at a store: the verdict criterion by criterion,
 * the manager's decision form (go / no-go / go with conditions, reason, PIN,
 * drawn signature), and the decisions taken, each shown as still matching the
 * evidence it was signed on, or not.
 */
import { Alert, Badge, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconGavel } from '@tabler/icons-react';
import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext.tsx';
import { useCan } from '../../api/permissions.ts';
import { formatDateTime } from '../../components/format.ts';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { ContextBar, useEffectiveRelease } from '../checklists/ContextBar.tsx';
import { checklistKeys } from '../checklists/queries.ts';
import { useWorkContext } from '../checklists/useWorkContext.ts';
import { DecisionForm } from './DecisionForm.tsx';
import { DecisionList } from './DecisionList.tsx';
import { DECISION_TEST_IDS } from './testIds.ts';
import { criterionText } from './criterionText.ts';
import contrast from '../../components/contrast.module.css';
import { t } from '../../i18n/index.ts';
import { ChainVerdict } from '../health/ChainVerdict.tsx';
import { RiskReview } from '../riskComms/RiskReview.tsx';

export function DecisionsScreen() {
  const context = useWorkContext();
  const releaseId = useEffectiveRelease(context);
  return (
    <Stack gap="sm" className={contrast.contrast}>
      <div>
        <Title order={1}>{t('decisions:title')}</Title>
        <Text size="sm" c="dimmed">
          {t('decisions:subtitle')}
        </Text>
      </div>
      <ContextBar context={context} releaseId={releaseId} />
      {context.storeId && releaseId && <ChainVerdict releaseId={releaseId} />}
      {!context.storeId ? (
        <Empty
          title={t('checklists:noStore')}
          description={t('checklists:noStoreHint')}
          icon={<IconGavel />}
        />
      ) : !releaseId ? (
        <Empty
          title={t('checklists:noRelease')}
          description={t('checklists:noReleaseHint')}
          icon={<IconGavel />}
        />
      ) : (
        <StoreRelease storeId={context.storeId} releaseId={releaseId} />
      )}
    </Stack>
  );
}

function StoreRelease(props: { storeId: string; releaseId: string }) {
  const api = useApi();
  const canSign = useCan('decisions:record');
  // The open risks ticked so far: the verdict's risk criterion is judged with them.
  const [acknowledged, setAcknowledged] = useState<string[]>([]);
  const verdict = useQuery({
    queryKey: [...checklistKeys.verdict(props.storeId, props.releaseId), acknowledged],
    queryFn: () =>
      api['decisions:verdict']({
        releaseId: props.releaseId,
        storeId: props.storeId,
        ...(acknowledged.length > 0 ? { acknowledgedRiskIds: acknowledged } : {}),
      }),
    // Ticking a risk keeps the screen in place while the verdict is judged again.
    placeholderData: keepPreviousData,
  });
  if (verdict.isPending) return <LoadingRows rows={6} height={32} />;
  if (verdict.isError)
    return <ErrorState error={verdict.error} onRetry={() => void verdict.refetch()} />;
  const view = verdict.data;
  const isGo = view.verdict === 'go';

  return (
    <div
      style={{
        display: 'grid',
        gridTemplateColumns: 'minmax(0, 1.2fr) minmax(360px, 1fr)',
        gap: 'var(--mantine-spacing-sm)',
        alignItems: 'start',
      }}
    >
      <Stack gap="sm">
        <Paper
          withBorder
          radius="md"
          p="md"
          data-testid={DECISION_TEST_IDS.verdict}
          data-verdict={view.verdict}
        >
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h3">
              {t('decisions:verdictTitle')}
            </Title>
            <Text size="xs" c="dimmed">
              {view.releaseVersion} · {view.storeName} ·{' '}
              {t('decisions:computedAt', { when: formatDateTime(view.computedAt) })}
            </Text>
          </Group>
          <Group gap="sm" mb="md">
            <Badge size="xl" radius="sm" color={isGo ? 'teal' : 'red'} variant="filled">
              {t(`decisions:verdict.${view.verdict}`)}
            </Badge>
            <Text size="sm">{t(`decisions:verdictExplain.${view.verdict}`)}</Text>
          </Group>
          <Stack gap="xs">
            {view.criteria.map((c) => (
              <Group
                key={c.id}
                gap="sm"
                align="flex-start"
                wrap="nowrap"
                data-testid={DECISION_TEST_IDS.criterion}
                data-criterion={c.id}
                data-met={c.isMet}
              >
                <ThemeIcon
                  color={c.isMet ? 'teal' : 'red'}
                  variant="light"
                  size="md"
                  radius="xl"
                  role="img"
                  aria-label={c.isMet ? t('decisions:met') : t('decisions:unmet')}
                >
                  {c.isMet ? <IconCircleCheck size={16} /> : <IconCircleX size={16} />}
                </ThemeIcon>
                <Stack gap={0}>
                  <Text size="sm" fw={c.isMet ? 400 : 600}>
                    {criterionText(c)}
                  </Text>
                  {c.details.map((d) => (
                    <Text key={d} size="xs" c="dimmed">
                      {d}
                    </Text>
                  ))}
                </Stack>
              </Group>
            ))}
          </Stack>
        </Paper>
        <DecisionList storeId={props.storeId} releaseId={props.releaseId} />
      </Stack>
      <Paper withBorder radius="md" p="md">
        <Title order={2} size="h3" mb="sm">
          {t('decisions:formTitle')}
        </Title>
        {!canSign.allowed ? (
          <Alert color="gray" variant="light" data-testid={DECISION_TEST_IDS.notAllowed}>
            {t('decisions:managerOnly', { reason: canSign.reason ?? '' })}
          </Alert>
        ) : (
          <>
            <RiskReview
              risks={view.openRisks}
              acknowledged={acknowledged}
              onChange={setAcknowledged}
            />
            <DecisionForm view={view} />
          </>
        )}
      </Paper>
    </div>
  );
}
