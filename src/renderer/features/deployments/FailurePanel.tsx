/**
 * Guided failure: when a step has failed, the choices — retry, skip with a
 * reason (store manager; a mandatory step also needs an approved change
 * request), exclude a terminal, roll back, abort. Each choice opens its own
 * small form; a refusal shows under it and nothing changes.
 */
import { useState } from 'react';
import { Alert, Button, Group, Paper, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import {
  IconAlertOctagon,
  IconArrowBackUp,
  IconPlayerSkipForward,
  IconRefresh,
  IconUserMinus,
} from '@tabler/icons-react';
import { Link } from 'react-router';
import { currentStep, type DeploymentState } from '#shared/deployments/stateMachine.ts';
import { useRuns } from '../checklists/queries.ts';
import { RequestChangeButton } from '../changeRequests/RequestChangeButton.tsx';
import { useChangeRequests } from '../changeRequests/queries.ts';
import { ActionError } from './ActionError.tsx';
import { useDeploymentAction } from './queries.ts';
import { AbortControl } from './StepActions.tsx';
import { pickSmokeRun, type ActionOffer, type FailureOptions } from './stepGuide.ts';
import { DEPLOYMENT_TEST_IDS as ID } from './testIds.ts';
import { t } from '../../i18n/index.ts';

/** The choices that open a small form (retry and abort do not). */
type Choice = 'skip' | 'exclude' | 'rollBack';

function Why(props: { offer: ActionOffer }) {
  if (props.offer.whyNot === null) return null;
  return (
    <Text size="xs" c="dimmed" maw={260}>
      {props.offer.whyNot}
    </Text>
  );
}

/** A failed smoke test: what it means, and the run itself, where the failed items and their evidence are. */
function SmokeFailure(props: { state: DeploymentState }) {
  const { state } = props;
  const runs = useRuns(state.plan.storeId, state.plan.releaseId);
  const run =
    runs.data === undefined || state.step === null
      ? null
      : pickSmokeRun(state, runs.data, state.step.startedAt);
  const returnTo = encodeURIComponent(`/deployments/${state.plan.deploymentId}`);
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {t('deployments:smokeFailed')}
      </Text>
      {run !== null && (
        <Group>
          <Button
            component={Link}
            to={`/checklists/runs/${run.id}?store=${state.plan.storeId}&release=${state.plan.releaseId}&returnTo=${returnTo}`}
            size="xs"
            variant="default"
          >
            {t('deployments:openFailedRun')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export function FailurePanel(props: { state: DeploymentState; options: FailureOptions }) {
  const { state, options } = props;
  const step = currentStep(state);
  const [choice, setChoice] = useState<Choice | null>(null);
  const [reason, setReason] = useState('');
  const [terminalId, setTerminalId] = useState<string | null>(null);
  const act = useDeploymentAction();
  const deploymentId = state.plan.deploymentId;
  const run = (action: Parameters<typeof act.mutate>[0]['action']) =>
    act.mutate(
      { deploymentId, action },
      {
        onSuccess: () => {
          setChoice(null);
          setReason('');
        },
      },
    );
  const changeRequests = useChangeRequests(
    choice === 'skip' && options.skip.needsChangeRequest ? state.plan.storeId : null,
  );
  const approved = (changeRequests.data ?? []).find(
    (r) =>
      r.status === 'approved' &&
      r.deviation.kind === 'skip_mandatory_step' &&
      r.deviation.deploymentId === deploymentId &&
      r.deviation.stepId === step?.id,
  );
  const open = (next: Choice) => {
    setChoice((current) => (current === next ? null : next));
    act.reset();
  };

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      data-testid={ID.failurePanel}
      style={{ borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 }}
    >
      <Stack gap="sm">
        <Group gap="xs">
          <IconAlertOctagon size={22} color="var(--mantine-color-red-7)" />
          <Title order={4}>{t('deployments:failureTitle')}</Title>
        </Group>
        {step !== null && (
          <Text size="sm" fw={600}>
            {step.title}
          </Text>
        )}
        {state.failure !== null && (
          <Alert color="red" variant="light">
            {state.failure.code === 'smoke_failed' ? (
              <SmokeFailure state={state} />
            ) : (
              <Text size="sm">{state.failure.message}</Text>
            )}
          </Alert>
        )}
        <Group gap="sm" align="flex-start">
          <Stack gap={2}>
            <Button
              leftSection={<IconRefresh size={16} />}
              onClick={() => run({ type: 'retry_step' })}
              disabled={options.retry.whyNot !== null}
              loading={act.isPending && choice === null}
              data-testid={ID.retry}
            >
              {t('deployments:retry')}
            </Button>
            <Why offer={options.retry} />
          </Stack>
          <Stack gap={2}>
            <Button
              variant="light"
              color="orange"
              leftSection={<IconArrowBackUp size={16} />}
              onClick={() => open('rollBack')}
              disabled={options.rollBack.whyNot !== null}
              aria-expanded={choice === 'rollBack'}
              data-testid={ID.rollBack}
            >
              {t('deployments:rollBack')}
            </Button>
            <Why offer={options.rollBack} />
          </Stack>
          <Stack gap={2}>
            <Button
              variant="default"
              leftSection={<IconUserMinus size={16} />}
              onClick={() => open('exclude')}
              disabled={options.exclude.whyNot !== null}
              aria-expanded={choice === 'exclude'}
              data-testid={ID.excludeTerminal}
            >
              {t('deployments:exclude')}
            </Button>
            <Why offer={options.exclude} />
          </Stack>
          <Stack gap={2}>
            <Button
              variant="light"
              color="gray"
              leftSection={<IconPlayerSkipForward size={16} />}
              onClick={() => open('skip')}
              disabled={options.skip.whyNot !== null}
              aria-expanded={choice === 'skip'}
              data-testid={ID.skip}
            >
              {t('deployments:skip')}
            </Button>
            <Why offer={options.skip} />
          </Stack>
          <AbortControl state={state} offer={options.abort} variant="outline" />
        </Group>

        {choice === 'rollBack' && (
          <Stack gap="xs">
            <Text size="sm">{t('deployments:rollBackHint')}</Text>
            <Textarea
              label={t('deployments:rollBackReason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              autosize
              minRows={2}
              data-autofocus
              autoFocus
              data-testid={ID.rollBackReason}
            />
            <Group>
              <Button
                color="orange"
                onClick={() => run({ type: 'roll_back', reason: reason.trim() })}
                loading={act.isPending}
                data-testid={ID.rollBackSubmit}
              >
                {t('deployments:rollBackSubmit')}
              </Button>
            </Group>
          </Stack>
        )}
        {choice === 'exclude' && (
          <Stack gap="xs">
            <Select
              label={t('deployments:excludeTerminal')}
              data={options.exclude.terminals.map((t) => ({ value: t.terminalId, label: t.name }))}
              value={terminalId}
              onChange={setTerminalId}
              data-testid={ID.excludeTerminal + '-select'}
            />
            <Textarea
              label={t('deployments:excludeReason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              autosize
              minRows={2}
              data-testid={ID.excludeReason}
            />
            <Group>
              <Button
                onClick={() =>
                  terminalId !== null &&
                  run({ type: 'exclude_terminal', terminalId, reason: reason.trim() })
                }
                disabled={terminalId === null}
                loading={act.isPending}
                data-testid={ID.excludeSubmit}
              >
                {t('deployments:excludeSubmit')}
              </Button>
            </Group>
          </Stack>
        )}
        {choice === 'skip' && (
          <Stack gap="xs">
            {options.skip.needsChangeRequest && (
              <Alert color="yellow" variant="light">
                <Stack gap="xs">
                  <Text size="sm">{t('deployments:skipNeedsChangeRequest')}</Text>
                  {approved === undefined && step !== null && (
                    <>
                      <Text size="sm" c="dimmed">
                        {t('deployments:noApprovedRequest')}
                      </Text>
                      <RequestChangeButton
                        label={t('deployments:requestSkip')}
                        deviation={{
                          kind: 'skip_mandatory_step',
                          storeId: state.plan.storeId,
                          releaseId: state.plan.releaseId,
                          deploymentId,
                          stepId: step.id,
                        }}
                      />
                    </>
                  )}
                </Stack>
              </Alert>
            )}
            <Textarea
              label={t('deployments:skipReason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              autosize
              minRows={2}
              autoFocus
              data-testid={ID.skipReason}
            />
            <Group>
              <Button
                onClick={() =>
                  run({
                    type: 'skip_step',
                    reason: reason.trim(),
                    changeRequestId: approved?.id ?? null,
                  })
                }
                loading={act.isPending}
                data-testid={ID.skipSubmit}
              >
                {t('deployments:skipSubmit')}
              </Button>
            </Group>
          </Stack>
        )}
        <ActionError error={act.error} />
      </Stack>
    </Paper>
  );
}
