/**
 * The feature flags a store runs for the release, as the central server
 * computes them: the catalog's values with the change requests approved for
 * the store applied (the same rule the store's console follows).
 */
import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import type { EffectiveFlagValue } from '#shared/releases/flags.ts';
import { t } from '#renderer/i18n/index.ts';
import { DESK_TEST_IDS } from './testIds.ts';

export function StoreFlags({ flags }: { flags: readonly EffectiveFlagValue[] }) {
  return (
    <Stack gap="xs" data-testid={DESK_TEST_IDS.flags}>
      <Title order={3}>{t('desk:storeFlags')}</Title>
      <Text size="xs" c="dimmed">
        {t('desk:storeFlagsHint')}
      </Text>
      {flags.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('desk:noStoreFlags')}
        </Text>
      ) : (
        <Table withTableBorder fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('desk:flagColumns.key')}</Table.Th>
              <Table.Th>{t('desk:flagColumns.value')}</Table.Th>
              <Table.Th>{t('desk:flagColumns.source')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {flags.map((flag) => (
              <Table.Tr key={flag.key} data-testid={DESK_TEST_IDS.flagRow} data-flag={flag.key}>
                <Table.Td>
                  <Text size="sm" ff="monospace">
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
                <Table.Td>
                  <Text size="sm" fw={flag.source === 'change_request' ? 600 : undefined}>
                    {t(`domain:flagSource.${flag.source}`)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
