/**
 * The store's feature flag values for the release, with where each value
 * comes from (a store override, the ring's default, the release default). A
 * different value for this store is not set here: it is a change request of
 * kind feature_flag_change, decided by an administrator.
 */
import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import type { FlagValue } from '#shared/deployments/runbook.ts';
import contrast from '#renderer/components/contrast.module.css';
import { RequestChangeButton } from '../../changeRequests/RequestChangeButton.tsx';
import { TIMELINE_TEST_IDS } from './testIds.ts';
import { t } from '#renderer/i18n/index.ts';

/**
 * `isCompact`: for a narrow container (the fleet's terminal drawer, 480 px):
 * two columns, the request button under the flag's description and the
 * source under its value, so nothing is cut off at the drawer's edge.
 */
export function FlagsPanel({
  storeId,
  releaseId,
  flags,
  isCompact = false,
}: {
  storeId: string;
  releaseId: string;
  flags: FlagValue[];
  isCompact?: boolean;
}) {
  const requestButton = (flag: FlagValue) => (
    <RequestChangeButton
      variant="default"
      label={!flag.value ? t('timeline:requestFlagOn') : t('timeline:requestFlagOff')}
      deviation={{
        kind: 'feature_flag_change',
        storeId,
        releaseId,
        flagKey: flag.key,
        value: !flag.value,
      }}
    />
  );
  return (
    <Stack gap="xs" className={contrast.contrast} data-testid={TIMELINE_TEST_IDS.flags}>
      <Title order={4}>{t('timeline:flagsTitle')}</Title>
      <Text size="xs" c="dimmed">
        {t('timeline:flagsHint')}
      </Text>
      {flags.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('timeline:flagsEmpty')}
        </Text>
      ) : isCompact ? (
        <Table withTableBorder verticalSpacing={6} horizontalSpacing="xs" fz="sm" layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('timeline:flagColumns.key')}</Table.Th>
              <Table.Th w={130}>{t('timeline:flagColumns.value')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {flags.map((flag) => (
              <Table.Tr key={flag.key} data-testid={TIMELINE_TEST_IDS.flagRow} data-flag={flag.key}>
                <Table.Td>
                  <Stack gap={4} align="flex-start">
                    <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                      {flag.key}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {flag.description}
                    </Text>
                    {requestButton(flag)}
                  </Stack>
                </Table.Td>
                <Table.Td style={{ verticalAlign: 'top' }}>
                  <Stack gap={4} align="flex-start">
                    <Badge size="sm" color={flag.value ? 'teal' : 'gray'} variant="filled">
                      {flag.value ? t('timeline:on') : t('timeline:off')}
                    </Badge>
                    <Text size="xs">{t(`domain:flagSource.${flag.source}`)}</Text>
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Table withTableBorder verticalSpacing={4} horizontalSpacing="xs" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('timeline:flagColumns.key')}</Table.Th>
              <Table.Th>{t('timeline:flagColumns.value')}</Table.Th>
              <Table.Th>{t('timeline:flagColumns.source')}</Table.Th>
              <Table.Th aria-label={t('timeline:requestChange')} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {flags.map((flag) => (
              <Table.Tr key={flag.key} data-testid={TIMELINE_TEST_IDS.flagRow} data-flag={flag.key}>
                <Table.Td>
                  <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                    {flag.key}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {flag.description}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" color={flag.value ? 'teal' : 'gray'} variant="filled">
                    {flag.value ? t('timeline:on') : t('timeline:off')}
                  </Badge>
                </Table.Td>
                <Table.Td>{t(`domain:flagSource.${flag.source}`)}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>{requestButton(flag)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
