/** The age of a fetched answer, and why the kept copy is shown when the server could not answer. */
import { Alert, Text } from '@mantine/core';
import { IconWifiOff } from '@tabler/icons-react';
import type { Fetched } from '#shared/contract/health.ts';
import { t } from '../../i18n/index.ts';
import { ageOf } from '../desk/text.ts';
import { HEALTH_TEST_IDS } from './testIds.ts';

export function FetchedState<T>({ fetched }: { fetched: Fetched<T> }) {
  if (fetched.value === null)
    return (
      <Alert color="yellow" icon={<IconWifiOff size={16} />}>
        {t('health:never', { error: fetched.error ?? '' })}
      </Alert>
    );
  return (
    <>
      {fetched.isCached && (
        <Alert color="yellow" icon={<IconWifiOff size={16} />}>
          {t('health:offline', { error: fetched.error ?? '' })}
        </Alert>
      )}
      {fetched.fetchedAt && (
        <Text size="xs" c="dimmed" data-testid={HEALTH_TEST_IDS.age}>
          {t('health:age', { ago: ageOf(fetched.fetchedAt) })}
        </Text>
      )}
    </>
  );
}
