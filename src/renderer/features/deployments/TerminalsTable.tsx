/** The deployment's terminals: the version last recorded, where each stands, the canary, the blue-green slot. */
import { Badge, Group, Paper, Table, Text, Title } from '@mantine/core';
import type { DeploymentState } from '#shared/deployments/stateMachine.ts';
import { progressColor } from './deploymentUi.ts';
import { DEPLOYMENT_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';

export function TerminalsTable(props: { state: DeploymentState }) {
  const { state } = props;
  const isBlueGreen = state.strategy === 'blue_green';
  return (
    <Paper withBorder radius="md" p="sm">
      <Title order={5} mb="xs">
        {t('deployments:terminals')}
      </Title>
      <Table verticalSpacing={6} data-testid={DEPLOYMENT_TEST_IDS.terminals}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('deployments:colTerminal')}</Table.Th>
            <Table.Th>{t('deployments:colVersion')}</Table.Th>
            <Table.Th>{t('deployments:colProgress')}</Table.Th>
            {isBlueGreen && <Table.Th>{t('deployments:colSlot')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {state.terminals.map((term) => (
            <Table.Tr
              key={term.terminalId}
              data-testid={DEPLOYMENT_TEST_IDS.terminalRow}
              data-terminal-id={term.terminalId}
              data-progress={term.progress}
              data-version={term.version ?? ''}
            >
              <Table.Td>
                <Group gap={6}>
                  <Text size="sm" fw={600}>
                    {term.name}
                  </Text>
                  {state.canary?.terminalId === term.terminalId && (
                    <Badge size="xs" color="indigo" variant="filled">
                      {t('deployments:canaryMarker')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {term.version ?? t('deployments:unknownVersion')}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge size="sm" variant="light" color={progressColor(term.progress)}>
                  {/* A lane that ran the target before the deployment is not behind: say so, its version is still checked in its wave. */}
                  {term.progress === 'old' && term.fromVersion === state.plan.targetVersion
                    ? t('deployments:alreadyOnTargetProgress', {
                        version: state.plan.targetVersion,
                      })
                    : t(`deployments:progress.${term.progress}`)}
                </Badge>
                {term.excludedReason !== null && (
                  <Text size="xs" c="dimmed">
                    {term.excludedReason}
                  </Text>
                )}
              </Table.Td>
              {isBlueGreen && (
                <Table.Td>{term.slot === null ? '—' : t(`deployments:slot.${term.slot}`)}</Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
