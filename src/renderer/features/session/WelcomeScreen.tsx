import { Box, Button, Center, Divider, Paper, Stack, Text, Title } from '@mantine/core';
import { IconBuildingStore } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { ErrorState } from '../../components/QueryState.tsx';
import { TEST_IDS } from '../../testIds.ts';
import { ConnectForm } from '../sync/ConnectForm.tsx';
import { t } from '../../i18n/index.ts';
import { LanguageSwitch } from '#renderer/i18n/LanguageSwitch.tsx';

/**
 * First run: no catalog yet. Connect to the central server (the catalog and
 * its users arrive with the first sync), or try the demo fleet locally.
 */
export function WelcomeScreen() {
  const api = useApi();
  const queryClient = useQueryClient();
  const loadDemo = useMutation({
    mutationFn: () => api['demo:load']({}),
    onSuccess: (status) => {
      queryClient.setQueryData(queryKeys.sessionStatus(), status);
      void queryClient.invalidateQueries();
    },
  });
  return (
    <Center mih="100vh" p="md">
      <Box pos="fixed" top={12} right={12}>
        <LanguageSwitch />
      </Box>
      <Paper withBorder p="xl" radius="md" maw={720} w="100%">
        <Stack gap="md">
          <Text c="dimmed" size="sm" fw={600} tt="uppercase">
            {t('common:appName')}
          </Text>
          <Title order={2}>{t('session:welcomeTitle')}</Title>
          <Text>{t('session:welcomeBody')}</Text>
          {loadDemo.isError && (
            <ErrorState error={loadDemo.error} onRetry={() => loadDemo.mutate()} />
          )}
          <Button
            size="md"
            leftSection={<IconBuildingStore size={18} />}
            loading={loadDemo.isPending}
            onClick={() => loadDemo.mutate()}
            data-testid={TEST_IDS.demoLoad}
          >
            {t('session:tryDemo')}
          </Button>
          <Divider label={t('session:orConnect')} labelPosition="center" />
          <ConnectForm isEnrolled={false} isFirstRun />
          <Text size="xs" c="dimmed">
            {t('session:demoIsSeparate')}
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
