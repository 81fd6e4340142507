/**
 * What's new for the person signed in: after a terminal of their store moved
 * to a release, its notes for stores, in plain words, at the top of every
 * screen until they press "Got it" (recorded as an audit event, so each
 * person sees each release's notes once). It does not block the screen: a
 * technician in the middle of a deployment reads it when there is time.
 */
import { Alert, Button, Group, Text } from '@mantine/core';
import { IconSparkles } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext.tsx';
import { useSession } from '../../app/useSession.ts';
import { t } from '../../i18n/index.ts';
import { SafeMarkdown } from '../releases/SafeMarkdown.tsx';
import { RISK_COMMS_TEST_IDS } from './testIds.ts';

const WHATS_NEW_KEY = ['releases', 'whatsNew'] as const;

export function WhatsNewBanner() {
  const api = useApi();
  const session = useSession();
  const client = useQueryClient();
  const items = useQuery({
    queryKey: [...WHATS_NEW_KEY, session?.user.id ?? null],
    queryFn: () => api['releases:whatsNew']({}),
    enabled: session !== null,
  });
  const markRead = useMutation({
    mutationFn: (releaseId: string) => api['releases:markStoreNotesRead']({ releaseId }),
    onSuccess: (rest) => client.setQueryData([...WHATS_NEW_KEY, session?.user.id ?? null], rest),
  });
  const first = items.data?.[0];
  if (session === null || first === undefined) return null;
  const more = (items.data?.length ?? 0) > 1;
  return (
    <Alert
      color="blue"
      variant="light"
      icon={<IconSparkles size={18} />}
      title={t('riskComms:whatsNewTitle', { version: first.version })}
      mb="sm"
      data-testid={RISK_COMMS_TEST_IDS.whatsNew}
      data-release={first.releaseId}
    >
      <Text size="xs" c="dimmed" mb={4}>
        {t('riskComms:whatsNewHint')} ({first.storeName})
      </Text>
      <SafeMarkdown markdown={first.markdown} />
      <Group justify="flex-end" mt="xs">
        <Button
          size="xs"
          loading={markRead.isPending}
          onClick={() => markRead.mutate(first.releaseId)}
          data-testid={RISK_COMMS_TEST_IDS.whatsNewRead}
        >
          {more ? t('riskComms:whatsNewNext') : t('riskComms:whatsNewRead')}
        </Button>
      </Group>
    </Alert>
  );
}
