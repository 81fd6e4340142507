/**
 * The runbook as an ordered list per part of the deployment (the canary lane,
 * then the others; the rollback when it is walked), each step with how it
 * stands: done, current, failed, skipped or to do.
 */
import { Badge, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import {
  IconArrowBackUp,
  IconCheck,
  IconPlayerPlay,
  IconPlayerSkipForward,
  IconX,
} from '@tabler/icons-react';
import { isFinished, type DeploymentState } from '#shared/deployments/stateMachine.ts';
import { assertNever } from '#shared/errors.ts';
import { standingColor } from './deploymentUi.ts';
import type { RunbookSection, StepStanding } from './stepGuide.ts';
import { DEPLOYMENT_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';

function StandingIcon(props: { standing: StepStanding; index: number }) {
  const color = standingColor(props.standing);
  switch (props.standing) {
    case 'done':
      return (
        <ThemeIcon color={color} radius="xl" size={22}>
          <IconCheck size={14} />
        </ThemeIcon>
      );
    case 'current':
      return (
        <ThemeIcon color={color} radius="xl" size={22}>
          <IconPlayerPlay size={12} />
        </ThemeIcon>
      );
    case 'failed':
      return (
        <ThemeIcon color={color} radius="xl" size={22}>
          <IconX size={14} />
        </ThemeIcon>
      );
    case 'skipped':
      return (
        <ThemeIcon color={color} radius="xl" size={22}>
          <IconPlayerSkipForward size={12} />
        </ThemeIcon>
      );
    case 'pending':
      return (
        <ThemeIcon color="gray" variant="light" radius="xl" size={22}>
          <Text size="xs" fw={700}>
            {props.index + 1}
          </Text>
        </ThemeIcon>
      );
    default:
      return assertNever(props.standing, 'step standing');
  }
}

function sectionTitle(state: DeploymentState, section: RunbookSection): string {
  if (section.phase === 'rollback') return t('deployments:rollbackPhase');
  if (state.strategy !== 'canary_first') return t('deployments:fleetWave');
  if (section.wave === 'fleet') return t('deployments:fleetWaveAfterCanary');
  const canary = state.terminals.find((t) => t.terminalId === state.canary?.terminalId);
  return canary === undefined
    ? t('deployments:canaryWavePending')
    : t('deployments:canaryWave', { name: canary.name });
}

export function RunbookList(props: { state: DeploymentState; sections: RunbookSection[] }) {
  const { state, sections } = props;
  return (
    <Paper withBorder radius="md" p="sm" data-testid={DEPLOYMENT_TEST_IDS.runbook}>
      <Title order={5} mb="xs">
        {t('deployments:runbook')}
      </Title>
      <Stack gap="md">
        {sections.map((section, sectionIndex) => (
          <div
            key={`${section.phase}-${section.wave}`}
            // While rolling back, the forward part is history: shown, but quieter than the rollback being walked.
            style={
              state.phase === 'rollback' && section.phase === 'forward'
                ? { opacity: 0.75 }
                : undefined
            }
          >
            {state.phase === 'rollback' && sectionIndex === 1 && (
              <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                {t('deployments:beforeRollback')}
              </Text>
            )}
            <Group gap={6} mb={6}>
              {section.phase === 'rollback' && (
                <IconArrowBackUp size={16} color="var(--mantine-color-orange-7)" />
              )}
              <Text size="sm" fw={700} c={section.phase === 'rollback' ? 'orange.8' : undefined}>
                {sectionTitle(state, section)}
              </Text>
            </Group>
            <Stack gap={4} component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {section.steps.map(({ step, standing, isHere }, index) => (
                <Group
                  key={step.id}
                  component="li"
                  gap="xs"
                  wrap="nowrap"
                  p={4}
                  style={{
                    borderRadius: 6,
                    // Only the step the deployment is at stands out; a step that failed before a rollback keeps its badge only.
                    background: isHere
                      ? `var(--mantine-color-${standingColor(standing)}-0)`
                      : undefined,
                  }}
                  aria-current={isHere ? 'step' : undefined}
                  data-testid={DEPLOYMENT_TEST_IDS.runbookStep}
                  data-step-id={step.id}
                  data-phase={section.phase}
                  data-wave={section.wave}
                  data-standing={standing}
                >
                  <StandingIcon standing={standing} index={index} />
                  <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
                    <Text
                      size="sm"
                      fw={isHere ? 700 : 500}
                      td={standing === 'skipped' ? 'line-through' : undefined}
                    >
                      {step.title}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t(`deployments:kind.${step.kind}`)}
                      {step.mandatory ? '' : ` · ${t('deployments:optional')}`}
                    </Text>
                  </Stack>
                  {standing !== 'pending' && (
                    <Badge size="xs" variant="light" color={standingColor(standing)}>
                      {t(`deployments:standing.${standing}`)}
                    </Badge>
                  )}
                </Group>
              ))}
            </Stack>
          </div>
        ))}
        {state.phase === 'forward' && !isFinished(state.status) && (
          <Text size="xs" c="dimmed">
            {t('deployments:rollbackPhase')}:{' '}
            {state.plan.runbook.rollbackSteps.map((s) => s.title).join(' → ')}.{' '}
            {t('deployments:rollbackNote')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
