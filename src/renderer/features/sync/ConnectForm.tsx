import { Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { deviceNameProblem } from '#shared/sync/deviceName.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { useSession } from '../../app/useSession.ts';
import { SYNC_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';

/**
 * Enrollment form. On first run (no catalog, nobody signed in) the enrollment
 * code alone authorizes it, as the back end allows; otherwise it needs a
 * manager or technician.
 */
export function ConnectForm(props: { isEnrolled: boolean; isFirstRun?: boolean }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const session = useSession();
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const connect = useMutation({
    mutationFn: () =>
      api['sync:connect']({
        serverUrl,
        enrollmentCode: code,
        ...(name.trim() === '' ? {} : { deviceName: name }),
      }),
    onSuccess: (status) => {
      setCode('');
      queryClient.setQueryData(queryKeys.syncStatus(), status);
      // First run: the catalog arrives with the first sync; refresh what depends on it.
      if (props.isFirstRun) void queryClient.invalidateQueries();
    },
  });
  const canConnect =
    props.isFirstRun === true ||
    session?.user.role === 'manager' ||
    session?.user.role === 'technician';
  /** The server's own rule, checked here first so a bad name never spends the one-time code. */
  function checkName(value: string): string | null {
    return value.trim() === '' ? null : deviceNameProblem(value);
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    const problem = checkName(name);
    setNameError(problem);
    if (problem) return;
    connect.mutate();
  }
  return (
    <Paper withBorder radius="md" p="md">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Text fw={600}>
            {props.isEnrolled ? t('sync:reconnectTitle') : t('sync:connectTitle')}
          </Text>
          <Text size="sm" c="dimmed">
            {canConnect
              ? props.isEnrolled
                ? t('sync:reconnectHint')
                : t('sync:connectHint')
              : t('sync:onlyManagers')}
          </Text>
          <Group align="flex-end" gap="sm">
            <TextInput
              label={t('sync:serverUrl')}
              placeholder={t('sync:serverUrlPlaceholder')}
              value={serverUrl}
              onChange={(e) => setServerUrl(e.currentTarget.value)}
              disabled={!canConnect}
              required
              w={320}
              data-testid={SYNC_TEST_IDS.connectUrl}
            />
            <TextInput
              label={t('sync:enrollmentCode')}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              disabled={!canConnect}
              required
              autoComplete="off"
              w={220}
              data-testid={SYNC_TEST_IDS.connectCode}
            />
            <TextInput
              label={t('sync:deviceName')}
              placeholder={t('sync:deviceNamePlaceholder')}
              value={name}
              onChange={(e) => {
                setName(e.currentTarget.value);
                if (nameError) setNameError(checkName(e.currentTarget.value));
              }}
              onBlur={() => setNameError(checkName(name))}
              error={nameError}
              disabled={!canConnect}
              autoComplete="off"
              w={240}
              data-testid={SYNC_TEST_IDS.connectName}
            />
            <Button
              type="submit"
              loading={connect.isPending}
              disabled={!canConnect}
              data-testid={SYNC_TEST_IDS.connectSubmit}
            >
              {t('sync:connect')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {t('sync:deviceNameHint')}
          </Text>
          {connect.isError && (
            <Text size="sm" c="red.8" data-testid={SYNC_TEST_IDS.connectError}>
              {connect.error.message}
            </Text>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
