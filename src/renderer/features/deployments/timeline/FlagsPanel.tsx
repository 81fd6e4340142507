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
import { FLAG_SOURCE_LABELS, TIMELINE_TEXT } from './text.ts';

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
      label={TIMELINE_TEXT.requestFlag(!flag.value)}
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
      <Title order={2}>{TIMELINE_TEXT.flagsTitle}</Title>
      <Text size="xs" c="dimmed">
        {TIMELINE_TEXT.flagsHint}
      </Text>
      {flags.length === 0 ? (
        <Text size="sm" c="dimmed">
          {TIMELINE_TEXT.flagsEmpty}
        </Text>
      ) : isCompact ? (
        <Table withTableBorder verticalSpacing={6} horizontalSpacing="xs" fz="sm" layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{TIMELINE_TEXT.flagColumns.key}</Table.Th>
              <Table.Th w={130}>{TIMELINE_TEXT.flagColumns.value}</Table.Th>
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
                      {flag.value ? TIMELINE_TEXT.on : TIMELINE_TEXT.off}
                    </Badge>
                    <Text size="xs">{FLAG_SOURCE_LABELS[flag.source]}</Text>
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
              <Table.Th>{TIMELINE_TEXT.flagColumns.key}</Table.Th>
              <Table.Th>{TIMELINE_TEXT.flagColumns.value}</Table.Th>
              <Table.Th>{TIMELINE_TEXT.flagColumns.source}</Table.Th>
              <Table.Th aria-label="Request a change" />
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
                    {flag.value ? TIMELINE_TEXT.on : TIMELINE_TEXT.off}
                  </Badge>
                </Table.Td>
                <Table.Td>{FLAG_SOURCE_LABELS[flag.source]}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>{requestButton(flag)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
