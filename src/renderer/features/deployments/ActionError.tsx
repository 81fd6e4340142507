/** A refused action, next to the buttons that asked for it: the back end's plain words; nothing was changed. */
import { Alert, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { refusalCode } from './deploymentUi.ts';
import { DEPLOYMENT_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';

export function ActionError(props: { error: Error | null }) {
  if (props.error === null) return null;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={t('deployments:refusalTitle')}
      role="alert"
      data-testid={DEPLOYMENT_TEST_IDS.refusal}
      data-refusal={refusalCode(props.error) ?? ''}
    >
      <Text size="sm">{props.error.message}</Text>
    </Alert>
  );
}
