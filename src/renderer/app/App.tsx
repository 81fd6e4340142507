import { useState } from 'react';
import { Center, Loader, MantineProvider } from '@mantine/core';
import { colorSchemeManager } from './ColorSchemeSwitch.tsx';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router/dom';
import { ApiProvider } from '../api/ApiContext.tsx';
import { isApiError } from '../api/client.ts';
import { ErrorState } from '../components/QueryState.tsx';
import { SignInScreen } from '../features/session/SignInScreen.tsx';
import { WelcomeScreen } from '../features/session/WelcomeScreen.tsx';
import { createAppRouter } from './router.tsx';
import { seedQueryCache, type Startup } from './startupCalls.ts';
import { I18nRoot } from '../i18n/I18nRoot.tsx';
import { cssVariablesResolver, theme } from './theme.ts';
import { useSessionStatus } from './useSession.ts';
import { t } from '../i18n/index.ts';

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Data changes only through this console or a sync, and both announce it (db:changed).
        staleTime: 60_000,
        refetchOnWindowFocus: false,
        // A typed back-end error will not go away by asking again; a lost connection might.
        retry: (failureCount, error) =>
          (!isApiError(error) || error.code === 'unavailable') && failureCount < 2,
      },
    },
  });
}

/** First run → welcome; no session → sign in; otherwise the console. */
function Gate() {
  const status = useSessionStatus();
  const [router] = useState(createAppRouter);
  if (status.isPending) {
    return (
      <Center mih="100vh">
        <Loader />
      </Center>
    );
  }
  if (status.isError) {
    return (
      <Center mih="100vh" p="md">
        <ErrorState
          error={status.error}
          title={t('shell:fatalTitle')}
          onRetry={() => void status.refetch()}
        />
      </Center>
    );
  }
  if (!status.data.hasCatalog) return <WelcomeScreen />;
  if (!status.data.session) return <SignInScreen />;
  return <RouterProvider router={router} />;
}

/** `startup`: the transport, its client, and the session and landing-screen calls already sent (startupCalls.ts). */
export function App(props: { startup: Pick<Startup, 'transport' | 'client' | 'calls'> }) {
  const [apiValue] = useState(() => ({
    client: props.startup.client,
    events: props.startup.transport.events,
    onConnection: props.startup.transport.onConnection,
    kind: props.startup.transport.kind,
  }));
  const [queryClient] = useState(() => {
    const client = createQueryClient();
    seedQueryCache(client, props.startup);
    return client;
  });
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      colorSchemeManager={colorSchemeManager}
      defaultColorScheme="auto"
    >
      <Notifications position="top-right" limit={3} />
      <QueryClientProvider client={queryClient}>
        <ApiProvider value={apiValue}>
          <I18nRoot>
            <ModalsProvider>
              <Gate />
            </ModalsProvider>
          </I18nRoot>
        </ApiProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
