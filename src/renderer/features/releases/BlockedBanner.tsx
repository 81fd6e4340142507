/**
 * A banner in the shell for each release the release desk blocked (carried
 * by the pulled catalog): every console in scope says which release, why,
 * and that its deployments are refused unless a store manager bypasses the
 * block in an emergency. Shown to anyone signed in, on every screen.
 */
import { Alert, Stack, Text } from '@mantine/core';
import { IconBan } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { useSession } from '../../app/useSession.ts';
import { formatDateTime } from '../../components/format.ts';
import { t } from '../../i18n/index.ts';
import { BLOCKED_BANNER_TEST_ID } from './blockedBannerTestIds.ts';

export function BlockedBanner() {
  const api = useApi();
  const session = useSession();
  const blocks = useQuery({
    queryKey: queryKeys.releaseBlocks(),
    queryFn: () => api['releases:blocks']({}),
    enabled: session !== null,
  });
  if (session === null || !blocks.data || blocks.data.length === 0) return null;
  return (
    <Stack gap="xs" mb="sm">
      {blocks.data.map((b) => (
        <Alert
          key={b.releaseId}
          color="red"
          variant="light"
          icon={<IconBan size={18} />}
          title={t('releases:blockedTitle', { version: b.version })}
          role="alert"
          data-testid={BLOCKED_BANNER_TEST_ID}
          data-release={b.releaseId}
        >
          <Text size="sm">{t('releases:blockedReason', { reason: b.reason })}</Text>
          <Text size="xs">{t('releases:blockedHint', { at: formatDateTime(b.blockedAt) })}</Text>
        </Alert>
      ))}
    </Stack>
  );
}
