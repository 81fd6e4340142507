import { useRef, useState, type FormEvent } from 'react';
import {
  Alert,
  Box,
  Button,
  Center,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconLock, IconLogin } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { format } from 'date-fns/format';
import { useApi } from '../../api/ApiContext.tsx';
import { useSessionStatus } from '../../app/useSession.ts';
import { isApiError } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { TEST_IDS } from '../../testIds.ts';
import { DemoUsersHint } from './DemoUsersHint.tsx';
import { lockedUntil } from './lockout.ts';
import { t } from '../../i18n/index.ts';
import { LanguageSwitch } from '#renderer/i18n/LanguageSwitch.tsx';

const PIN_PATTERN = /^\d{4,12}$/;

type UserOption = { value: string; label: string };

/** The options the list shows for `search` (Mantine's default filter: the label contains it, any case). */
function matchingUsers(options: readonly UserOption[], search: string): UserOption[] {
  const needle = search.trim().toLowerCase();
  if (needle === '') return [];
  return options.filter((o) => o.label.toLowerCase().includes(needle));
}

export function SignInScreen() {
  const api = useApi();
  const queryClient = useQueryClient();
  const users = useQuery({
    queryKey: queryKeys.users(),
    queryFn: () => api['session:listUsers']({}),
  });
  const [userId, setUserId] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [pin, setPin] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  const isDemoFleet = useSessionStatus().data?.isDemoFleet === true;

  function pickUser(value: string | null) {
    setUserId(value);
    setFormError(null);
    signIn.reset();
    // Keyboard flow: type a name, Enter, type the PIN, Enter.
    if (value) requestAnimationFrame(() => pinRef.current?.focus());
  }

  const signIn = useMutation({
    mutationFn: (input: { userId: string; pin: string }) => api['session:signIn'](input),
    onSuccess: (status) => {
      queryClient.setQueryData(queryKeys.sessionStatus(), status);
      // Everything cached belonged to no one (or someone else): start clean.
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    },
    onError: () => setPin(''),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!userId) return setFormError(t('session:pickUser'));
    if (!PIN_PATTERN.test(pin)) return setFormError(t('session:pinDigits'));
    setFormError(null);
    signIn.mutate({ userId, pin });
  }

  const userOptions = (users.data ?? []).map((u) => ({
    value: u.id,
    label: `${u.name} — ${t(`domain:role.${u.role}`)}`,
  }));

  const serverError = signIn.error;
  let errorText: string | null = formError;
  let isLockout = false;
  if (!errorText && serverError) {
    errorText = serverError.message;
    if (isApiError(serverError) && serverError.code === 'locked_out') {
      isLockout = true;
      const until = lockedUntil(serverError.details);
      if (until)
        errorText = `${serverError.message} ${t('session:unlocksAt', { time: format(until, 'HH:mm') })}`;
    }
  }

  return (
    <Center component="main" mih="100vh" p="md">
      <Box pos="fixed" top={12} right={12}>
        <LanguageSwitch />
      </Box>
      <Paper withBorder p="xl" radius="md" maw={isDemoFleet ? 500 : 420} w="100%">
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Text c="dimmed" size="sm" fw={600} tt="uppercase">
              {t('common:appName')}
            </Text>
            <div>
              <Title order={1}>{t('session:signInTitle')}</Title>
              <Text size="sm" c="dimmed">
                {t('session:signInSubtitle')}
              </Text>
            </div>
            {users.isPending && <LoadingRows rows={2} height={36} />}
            {users.isError && (
              <ErrorState error={users.error} onRetry={() => void users.refetch()} />
            )}
            {users.isSuccess && users.data.length === 0 && (
              <Alert color="yellow">{t('session:noUsers')}</Alert>
            )}
            {users.isSuccess && users.data.length > 0 && (
              <>
                {isDemoFleet && <DemoUsersHint users={users.data} onPick={pickUser} />}
                <Select
                  label={t('session:userLabel')}
                  placeholder={t('session:userPlaceholder')}
                  data={userOptions}
                  value={userId}
                  onChange={pickUser}
                  searchable
                  searchValue={search}
                  onSearchChange={setSearch}
                  onKeyDown={(event) => {
                    // Enter with exactly one name matching what was typed picks it,
                    // whether or not the list has marked it yet.
                    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
                    const matches = matchingUsers(userOptions, search);
                    if (matches.length !== 1 || matches[0]!.label === search) return;
                    event.preventDefault();
                    pickUser(matches[0]!.value);
                  }}
                  // Typing narrows the list and marks its first name, so Enter picks it.
                  selectFirstOptionOnChange
                  openOnFocus={false}
                  // The first thing to do on this screen: the cursor starts here.
                  autoFocus
                  allowDeselect={false}
                  data-testid={TEST_IDS.signInUser}
                />
                <PasswordInput
                  ref={pinRef}
                  label={t('session:pinLabel')}
                  placeholder={t('session:pinPlaceholder')}
                  value={pin}
                  onChange={(e) => setPin(e.currentTarget.value.replace(/\D/g, '').slice(0, 12))}
                  inputMode="numeric"
                  autoComplete="off"
                  data-testid={TEST_IDS.signInPin}
                  leftSection={<IconLock size={16} />}
                />
                {errorText && (
                  <Alert
                    color={isLockout ? 'orange' : 'red'}
                    variant="light"
                    data-testid={TEST_IDS.signInError}
                    role="alert"
                  >
                    {errorText}
                  </Alert>
                )}
                <Button
                  type="submit"
                  loading={signIn.isPending}
                  leftSection={<IconLogin size={18} />}
                  data-testid={TEST_IDS.signInSubmit}
                >
                  {t('session:signIn')}
                </Button>
              </>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
