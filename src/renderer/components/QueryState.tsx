/**
 * The three states every screen shares: loading (skeleton of the right
 * shape), error (the back end's message and a retry), empty (what to do next).
 */
import type { ReactNode } from 'react';
import { Alert, Button, EmptyState, Group, Skeleton, Stack } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { TEST_IDS } from '../testIds.ts';
import { t } from '../i18n/index.ts';

export function LoadingRows(props: { rows?: number; height?: number }) {
  const rows = props.rows ?? 6;
  return (
    // A status region: its name ("Loading") is read out, and a name on a plain div is not allowed.
    <Stack gap={6} role="status" aria-busy="true" aria-label={t('common:loading')}>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={props.height ?? 24} radius="sm" />
      ))}
    </Stack>
  );
}

export function ErrorState(props: { error: unknown; onRetry?: () => void; title?: string }) {
  const message = props.error instanceof Error ? props.error.message : String(props.error);
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={props.title ?? t('common:loadFailed')}
    >
      <Group justify="space-between" wrap="nowrap" gap="md">
        <span>{message}</span>
        {props.onRetry && (
          <Button
            size="xs"
            variant="white"
            color="red"
            leftSection={<IconRefresh size={14} />}
            onClick={props.onRetry}
            style={{ flexShrink: 0 }}
            data-testid={TEST_IDS.errorRetry}
          >
            {t('common:retry')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}

export function Empty(props: {
  title: string;
  description?: ReactNode;
  icon?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <EmptyState title={props.title} description={props.description} icon={props.icon} size="sm">
      {props.action && <EmptyState.Actions>{props.action}</EmptyState.Actions>}
    </EmptyState>
  );
}
