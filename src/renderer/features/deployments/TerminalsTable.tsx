/** The deployment's terminals: the version last recorded, where each stands, the canary, the blue-green slot. */
import { Badge, Group, Paper, Table, Text, Title } from '@mantine/core';
import type { DeploymentState } from '#shared/deployments/stateMachine.ts';
import { progressColor } from './deploymentUi.ts';
import { DEPLOYMENT_TEST_IDS } from './testIds.ts';
import { DEPLOYMENTS_TEXT as T } from './text.ts';

export function TerminalsTable(props: { state: DeploymentState }) {
  const { state } = props;
  const isBlueGreen = state.strategy === 'blue_green';
  return (
    <Paper withBorder radius="md" p="sm">
      <Title order={2} size="h3" mb="xs">
        {T.terminals}
      </Title>
      <Table verticalSpacing={6} data-testid={DEPLOYMENT_TEST_IDS.terminals}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{T.colTerminal}</Table.Th>
            <Table.Th>{T.colVersion}</Table.Th>
            <Table.Th>{T.colProgress}</Table.Th>
            {isBlueGreen && <Table.Th>{T.colSlot}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {state.terminals.map((t) => (
            <Table.Tr
              key={t.terminalId}
              data-testid={DEPLOYMENT_TEST_IDS.terminalRow}
              data-terminal-id={t.terminalId}
              data-progress={t.progress}
              data-version={t.version ?? ''}
            >
              <Table.Td>
                <Group gap={6}>
                  <Text size="sm" fw={600}>
                    {t.name}
                  </Text>
                  {state.canary?.terminalId === t.terminalId && (
                    <Badge size="xs" color="indigo" variant="filled">
                      {T.canaryMarker}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {t.version ?? T.unknownVersion}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge size="sm" variant="light" color={progressColor(t.progress)}>
                  {/* A lane that ran the target before the deployment is not behind: say so, its version is still checked in its wave. */}
                  {t.progress === 'old' && t.fromVersion === state.plan.targetVersion
                    ? T.alreadyOnTargetProgress(state.plan.targetVersion)
                    : T.progress[t.progress]}
                </Badge>
                {t.excludedReason !== null && (
                  <Text size="xs" c="dimmed">
                    {t.excludedReason}
                  </Text>
                )}
              </Table.Td>
              {isBlueGreen && <Table.Td>{t.slot === null ? '—' : T.slot[t.slot]}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
