/**
 * What a store manager is told before validating a release: how the release
 * is doing elsewhere in the chain (the verdict and its rule, from the
 * central server through this console's device token), kept for offline
 * with its age. Not shown on a console that is not connected to a server.
 */
import { Alert, Group, Text } from '@mantine/core';
import { IconHeartbeat } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext.tsx';
import { useSessionStatus } from '../../app/useSession.ts';
import { t } from '../../i18n/index.ts';
import { ageOf } from '../desk/text.ts';
import { HEALTH_TEST_IDS } from './testIds.ts';
import { VerdictBadge } from './VerdictBadge.tsx';

const COLOR = { healthy: 'teal', watch: 'orange', act: 'red' } as const;

export function ChainVerdict({ releaseId }: { releaseId: string }) {
  const api = useApi();
  const status = useSessionStatus();
  const isEnrolled = status.data?.isEnrolled === true;
  const verdict = useQuery({
    queryKey: ['health', 'verdict', releaseId],
    queryFn: () => api['health:verdict']({ releaseId }),
    enabled: isEnrolled,
  });
  if (!isEnrolled || !verdict.data) return null;
  const v = verdict.data.value;
  if (!v)
    return (
      <Alert
        color="gray"
        icon={<IconHeartbeat size={16} />}
        data-testid={HEALTH_TEST_IDS.chainVerdict}
      >
        {t('health:chainVerdictUnknown', { error: verdict.data.error ?? '' })}
      </Alert>
    );
  return (
    <Alert
      color={COLOR[v.verdict.verdict]}
      icon={<IconHeartbeat size={16} />}
      data-testid={HEALTH_TEST_IDS.chainVerdict}
      data-verdict={v.verdict.verdict}
    >
      <Group gap="xs">
        <Text size="sm" fw={600}>
          {t('health:chainVerdict', {
            version: v.version,
            verdict: t(`health:verdict.${v.verdict.verdict}`),
          })}
        </Text>
        <VerdictBadge verdict={v.verdict.verdict} size="sm" />
      </Group>
      <Text size="sm">{t(`health:rule.${v.verdict.rule}`)}</Text>
      {verdict.data.fetchedAt && (
        <Text size="xs" c="dimmed">
          {t('health:chainVerdictAge', { ago: ageOf(verdict.data.fetchedAt) })}
          {verdict.data.isCached
            ? ` · ${t('health:offline', { error: verdict.data.error ?? '' })}`
            : ''}
        </Text>
      )}
    </Alert>
  );
}
