import { Button, Center, Divider, Paper, Stack, Text, Title } from '@mantine/core';
import { IconBuildingStore } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { ErrorState } from '../../components/QueryState.tsx';
import { COMMON_TEXT } from '../../components/text.ts';
import { TEST_IDS } from '../../testIds.ts';
import { ConnectForm } from '../sync/ConnectForm.tsx';
import { SESSION_TEXT } from './text.ts';

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
    <Center component="main" mih="100vh" p="md">
      <Paper withBorder p="xl" radius="md" maw={720} w="100%">
        <Stack gap="md">
          <Text c="dimmed" size="sm" fw={600} tt="uppercase">
            {COMMON_TEXT.appName}
          </Text>
          <Title order={1}>{SESSION_TEXT.welcomeTitle}</Title>
          <Text>{SESSION_TEXT.welcomeBody}</Text>
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
            {SESSION_TEXT.tryDemo}
          </Button>
          <Divider label={SESSION_TEXT.orConnect} labelPosition="center" />
          <ConnectForm isEnrolled={false} isFirstRun />
          <Text size="xs" c="dimmed">
            {SESSION_TEXT.demoIsSeparate}
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
