/**
 * One deployment (route /deployments/:deploymentId), for the technician at
 * the store: the header (release, store, strategy, status), the runbook as
 * an ordered list, the current step with exactly its actions (or the choices
 * after a failure), the terminals, then the timeline and the store's feature
 * flags. Everything is read from the deployment's state, which the console
 * folds from its own journal: closing the app and opening it again shows
 * the same step.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Anchor, Badge, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconCircleCheck } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import type { DeploymentView } from '#shared/contract/deployments.ts';
import { currentStep, isFinished } from '#shared/deployments/stateMachine.ts';
import { usePeople } from '../../api/usePeople.ts';
import { useSession } from '../../app/useSession.ts';
import { ReleaseTypeBadge } from '../../components/Badges.tsx';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import contrast from '../../components/contrast.module.css';
import { useStores } from '../checklists/queries.ts';
import { DeploymentTimeline } from './timeline/DeploymentTimeline.tsx';
import { FlagsPanel } from './timeline/FlagsPanel.tsx';
import { deploymentStatusColor, deploymentStatusWords } from './deploymentUi.ts';
import { FailurePanel } from './FailurePanel.tsx';
import { useDeployment, useReleases } from './queries.ts';
import { RunbookList } from './RunbookList.tsx';
import { historyPath } from '../revisions/RevisionGateNote.tsx';
import { REVISION_TEST_IDS } from '../revisions/testIds.ts';
import { CurrentStepCard } from './StepActions.tsx';
import {
  failureOptions,
  runbookSections,
  stepActions,
  waitEndsAt,
  type Viewer,
} from './stepGuide.ts';
import { TerminalsTable } from './TerminalsTable.tsx';
import { DEPLOYMENT_TEST_IDS as ID } from './testIds.ts';
import { ProvenanceBadge } from '../../components/ProvenanceBadge.tsx';
import { t } from '../../i18n/index.ts';

export function DeploymentScreen() {
  const { deploymentId = '' } = useParams();
  const deployment = useDeployment(deploymentId);
  const session = useSession();
  if (deployment.isPending || session === null) return <LoadingRows rows={10} height={36} />;
  if (deployment.isError)
    return <ErrorState error={deployment.error} onRetry={() => void deployment.refetch()} />;
  return (
    <DeploymentDetail
      view={deployment.data}
      viewer={{ userId: session.user.id, role: session.user.role }}
    />
  );
}

/** The clock, ticking once a second only while a wait step counts down (only the wait reads it). */
function useNow(isTicking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!isTicking) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [isTicking]);
  return now;
}

function DeploymentDetail(props: { view: DeploymentView; viewer: Viewer }) {
  const { view, viewer } = props;
  const { state } = view;
  const releases = useReleases();
  const stores = useStores();
  const nameOf = usePeople();
  const now = useNow(waitEndsAt(state) !== null);
  const release = releases.data?.find((r) => r.id === state.plan.releaseId);
  const store = stores.data?.find((s) => s.id === state.plan.storeId);
  const sections = useMemo(() => runbookSections(state, view.timeline), [state, view.timeline]);
  const offers = stepActions(state, viewer, now);
  const failure = failureOptions(state, viewer);
  const step = currentStep(state);

  return (
    <Stack
      gap="sm"
      className={contrast.contrast}
      data-testid={ID.view}
      data-deployment-id={state.plan.deploymentId}
      data-status={state.status}
    >
      <Paper withBorder radius="md" p="sm">
        <Anchor component={Link} to="/deployments" size="xs">
          <Group gap={4}>
            <IconArrowLeft size={12} />
            {t('deployments:back')}
          </Group>
        </Anchor>
        <Group justify="space-between" align="flex-start" mt={4}>
          <Stack gap={2}>
            <Group gap="xs">
              <Title order={1}>
                {t('deployments:productVersion', { version: state.plan.targetVersion })}
              </Title>
              {release !== undefined && <ReleaseTypeBadge type={release.type} />}
            </Group>
            <Text size="sm">
              {store?.name ?? state.plan.storeId} ·{' '}
              {t('deployments:terminalCount', { count: state.terminals.length })} ·{' '}
              {t('deployments:strategy')}:{' '}
              {state.strategy === null
                ? t('deployments:notStarted')
                : t(`domain:strategy.${state.strategy}`)}
            </Text>
            <ProvenanceBadge subject={{ kind: 'deployment', id: state.plan.deploymentId }} />
          </Stack>
          <Badge
            size="lg"
            color={
              state.phase === 'rollback' && !isFinished(state.status) && state.status !== 'failed'
                ? 'orange'
                : deploymentStatusColor(state.status)
            }
            variant="filled"
            data-testid={ID.status}
            data-status={state.status}
            data-phase={state.phase}
          >
            {deploymentStatusWords(state)}
          </Badge>
        </Group>
      </Paper>

      <Grid gap="sm">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <RunbookList state={state} sections={sections} />
          <Anchor
            component={Link}
            to={historyPath({ kind: 'runbook', docId: state.plan.runbook.id })}
            size="sm"
            mt={4}
            display="inline-block"
            data-testid={REVISION_TEST_IDS.historyLink}
          >
            {t('revisions:runbookHistory')}
          </Anchor>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="sm">
            {isFinished(state.status) ? (
              <Alert
                color={deploymentStatusColor(state.status)}
                variant="light"
                icon={<IconCircleCheck size={20} />}
                title={t(`domain:deploymentStatus.${state.status}`)}
                data-testid={ID.currentStep}
                data-kind="finished"
              >
                <Stack gap={6}>
                  <Text size="sm">
                    {state.status === 'completed' ||
                    state.status === 'rolled_back' ||
                    state.status === 'aborted'
                      ? t(`deployments:finished.${state.status}`)
                      : null}
                  </Text>
                  {state.status === 'completed' && (
                    <Text size="sm">
                      {t('deployments:nextDecision')}{' '}
                      <Anchor
                        component={Link}
                        to={`/decisions?store=${state.plan.storeId}&release=${state.plan.releaseId}`}
                        fw={600}
                      >
                        {t('deployments:openDecision')}
                      </Anchor>
                    </Text>
                  )}
                </Stack>
              </Alert>
            ) : failure !== null && step !== null ? (
              <FailurePanel state={state} options={failure} />
            ) : (
              <CurrentStepCard
                view={view}
                viewer={viewer}
                offers={offers}
                now={now}
                nameOf={nameOf}
              />
            )}
            <TerminalsTable state={state} />
          </Stack>
        </Grid.Col>
      </Grid>

      <Paper withBorder radius="md" p="sm">
        <DeploymentTimeline view={view} />
      </Paper>
      <FlagsPanel
        storeId={state.plan.storeId}
        releaseId={state.plan.releaseId}
        flags={view.flags}
      />
    </Stack>
  );
}
