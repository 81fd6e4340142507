/**
 * The current step's card: its instructions and exactly the actions valid for
 * that kind of step (stepGuide.ts decides which, and why one is greyed out).
 * Each part holds its own action call, so a refusal shows next to the button
 * that asked for it.
 */
import { useEffect, useRef, useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconBan,
  IconCheck,
  IconClock,
  IconHandStop,
  IconListCheck,
  IconPlayerPlay,
  IconSwitchHorizontal,
  IconUserCheck,
} from '@tabler/icons-react';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { Link, useNavigate } from 'react-router';
import { deploymentActionInput, type DeploymentView } from '#shared/contract/deployments.ts';
import { reasonSchema, type ReasonPurpose } from '#shared/deployments/reasons.ts';
import type { DecisionGate } from '#shared/deployments/decisionGate.ts';
import type { Contract } from '#shared/contract/index.ts';
import type { InputOf } from '#shared/contract/define.ts';
import { type RunbookStep, type Strategy } from '#shared/deployments/runbook.ts';
import {
  currentStep,
  terminalsInScope,
  type DeploymentState,
} from '#shared/deployments/stateMachine.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { BYPASS_REASON_MIN_LENGTH, BYPASS_ROLES } from '#shared/releases/blockRule.ts';
import type { ReleaseBlockView } from '#shared/releases/catalogParts.ts';
import { runStatusColor } from '../checklists/answerUi.ts';
import { useRuns } from '../checklists/queries.ts';
import { validateWith } from '../../components/forms/validateWith.ts';
import { ActionError } from './ActionError.tsx';
import { refusalCode } from './deploymentUi.ts';
import { useDeploymentAction } from './queries.ts';
import { defaultCanaryId } from './planOptions.ts';
import { pickSmokeRun, waitEndsAt, type ActionOffer, type Viewer } from './stepGuide.ts';
import { DEPLOYMENT_TEST_IDS as ID } from './testIds.ts';
import { RequestChangeButton } from '../changeRequests/RequestChangeButton.tsx';
import { waitDuration } from './text.ts';
import { t } from '../../i18n/index.ts';

type Act = ReturnType<typeof useDeploymentAction>;
/** One action as the deployment screen sends it; time and actor come from the session. */
export type DeploymentActionInput = InputOf<Contract['deployments:act']>['action'];

/** One action call of this deployment, with its pending and error state. */
function useAct(deploymentId: string): {
  act: Act;
  run: (action: DeploymentActionInput, onDone?: () => void) => void;
} {
  const act = useDeploymentAction();
  return {
    act,
    run: (action, onDone) => act.mutate({ deploymentId, action }, { onSuccess: () => onDone?.() }),
  };
}

type StartValues = {
  strategy: Strategy;
  canaryId: string | null;
  overrideReason: string;
  blockBypassReason: string;
};

/** The form field of an action's input path (`action.canaryTerminalId` → `canaryId`). */
function fieldOfAction(path: readonly string[]): string | null {
  switch (path[0]) {
    case 'canaryTerminalId':
      return 'canaryId';
    case 'overrideReason':
    case 'blockBypassReason':
    case 'version':
      return path[0];
    case undefined:
    default:
      return null;
  }
}

/** A reason field judged by the state machine's own rule for `purpose`, in its words. */
function reasonRules(purpose: ReasonPurpose) {
  const schema = z.object({ reason: reasonSchema(purpose) });
  return validateWith(schema, (values: { reason: string }) => values);
}

const abortInterventionRules = validateWith(
  z.object({ notes: reasonSchema('abort_intervention') }),
  (values: { notes: string }) => values,
);

function find(offers: readonly ActionOffer[], type: ActionOffer['type']): ActionOffer | undefined {
  return offers.find((o) => o.type === type);
}

/** A button that is greyed out with its reason in a tooltip and in words under it, for keyboards and screen readers alike. */
function OfferButton(props: {
  offer: ActionOffer | undefined;
  label: string;
  onClick: () => void;
  testId: string;
  loading?: boolean;
  variant?: string;
  color?: string;
  leftSection?: React.ReactNode;
}) {
  if (props.offer === undefined) return null;
  const button = (
    <Button
      onClick={props.onClick}
      disabled={props.offer.whyNot !== null}
      loading={props.loading}
      variant={props.variant ?? 'filled'}
      color={props.color}
      leftSection={props.leftSection}
      data-testid={props.testId}
    >
      {props.label}
    </Button>
  );
  if (props.offer.whyNot === null) return button;
  return (
    <Stack gap={2}>
      <Tooltip label={props.offer.whyNot}>
        <span>{button}</span>
      </Tooltip>
      <Text size="xs" c="dimmed" maw={320}>
        {props.offer.whyNot}
      </Text>
    </Stack>
  );
}

export function CurrentStepCard(props: {
  view: DeploymentView;
  viewer: Viewer;
  offers: ActionOffer[];
  now: number;
  nameOf: (userId: string) => string;
}) {
  const { state } = props.view;
  const step = currentStep(state);
  if (state.status === 'planned')
    return <StartForm state={state} offers={props.offers} viewer={props.viewer} />;
  if (step === null || state.status === 'failed') return null;
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      data-testid={ID.currentStep}
      data-step-id={step.id}
      data-kind={step.kind}
      style={{ borderColor: 'var(--mantine-color-blue-5)', borderWidth: 2 }}
    >
      <Stack gap="sm">
        <div>
          <Text size="xs" tt="uppercase" fw={700} c="blue">
            {t('deployments:currentStep')} · {t(`deployments:kind.${step.kind}`)}
            {state.phase === 'rollback' ? ` · ${t('deployments:rollbackPhase')}` : ''}
          </Text>
          <Title order={2}>{step.title}</Title>
        </div>
        {step.instructions.length > 0 && <Text size="sm">{step.instructions}</Text>}
        <StepBody
          state={state}
          gate={props.view.gate}
          step={step}
          offers={props.offers}
          now={props.now}
          nameOf={props.nameOf}
          viewer={props.viewer}
        />
        <Group
          gap="xs"
          pt={4}
          style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
        >
          <FailStepControl state={state} offer={find(props.offers, 'fail_step')} />
          <AbortControl state={state} offer={find(props.offers, 'abort')} />
        </Group>
      </Stack>
    </Paper>
  );
}

function StepBody(props: {
  state: DeploymentState;
  gate: DecisionGate | null;
  step: RunbookStep;
  offers: ActionOffer[];
  now: number;
  nameOf: (userId: string) => string;
  viewer: Viewer;
}) {
  const { state, step, offers } = props;
  switch (step.kind) {
    case 'instruction':
      return (
        <DoneButton
          state={state}
          offer={find(offers, 'complete_step')}
          label={t('deployments:done')}
        />
      );
    case 'intervention':
      return (
        <InterventionBody
          state={state}
          offers={offers}
          nameOf={props.nameOf}
          viewer={props.viewer}
        />
      );
    case 'version_capture':
      return <VersionCaptureBody state={state} offers={offers} />;
    case 'checklist':
      return <SmokeBody state={state} step={step} offer={find(offers, 'record_smoke_result')} />;
    case 'wait':
      return <WaitBody state={state} offer={find(offers, 'complete_step')} now={props.now} />;
    case 'stage':
      return <StageBody state={state} offers={offers} />;
    case 'switch':
      return <SwitchBody state={state} offers={offers} />;
    case 'decision':
      return (
        <DecisionGateBody
          state={state}
          gate={props.gate}
          offer={find(offers, 'complete_step')}
          nameOf={props.nameOf}
        />
      );
    default: {
      const never: never = step;
      return never;
    }
  }
}

/** A decision step: open once the store's latest decision is a go, wherever it was signed; otherwise why it waits. */
function DecisionGateBody(props: {
  state: DeploymentState;
  gate: DecisionGate | null;
  offer: ActionOffer | undefined;
  nameOf: (userId: string) => string;
}) {
  const { gate, state } = props;
  // The full reason is in the alert above: the button only says what opens it.
  const whyClosed = gate === null || gate.isOpen ? null : t('deployments:gateClosed');
  const offer =
    props.offer === undefined
      ? undefined
      : { ...props.offer, whyNot: props.offer.whyNot ?? whyClosed };
  return (
    <Stack gap="xs" data-testid={ID.decisionGate} data-open={gate?.isOpen === true}>
      {gate !== null && !gate.isOpen && (
        <Alert
          color="orange"
          icon={<IconHandStop size={18} />}
          title={t('deployments:kind.decision')}
        >
          <Stack gap={6}>
            <Text size="sm">{t(`deployments:gateWaits.${gate.code}`, gate.params)}</Text>
            <Anchor
              component={Link}
              size="sm"
              to={`/decisions?store=${encodeURIComponent(state.plan.storeId)}&release=${encodeURIComponent(state.plan.releaseId)}`}
            >
              {t('deployments:openDecisions')}
            </Anchor>
          </Stack>
        </Alert>
      )}
      {gate?.isOpen === true && (
        <Alert color="green" icon={<IconCheck size={18} />}>
          {t(
            gate.decision === 'go' ? 'deployments:gateOpenGo' : 'deployments:gateOpenConditional',
            {
              signer: props.nameOf(gate.signedBy),
              at: gate.signedAt.slice(0, 16).replace('T', ' '),
            },
          )}
        </Alert>
      )}
      <DoneButton state={state} offer={offer} label={t('deployments:gateContinue')} />
    </Stack>
  );
}

function DoneButton(props: {
  state: DeploymentState;
  offer: ActionOffer | undefined;
  label: string;
}) {
  const { act, run } = useAct(props.state.plan.deploymentId);
  return (
    <Stack gap="xs">
      <Group>
        <OfferButton
          offer={props.offer}
          label={props.label}
          onClick={() => run({ type: 'complete_step' })}
          loading={act.isPending}
          leftSection={<IconCheck size={16} />}
          testId={ID.completeStep}
        />
      </Group>
      <ActionError error={act.error} />
    </Stack>
  );
}

/** The desk's block on this release, if the pulled catalog carries one. */
function useReleaseBlock(releaseId: string): ReleaseBlockView | null {
  const api = useApi();
  const blocks = useQuery({
    queryKey: queryKeys.releaseBlocks(),
    queryFn: () => api['releases:blocks']({}),
  });
  return blocks.data?.find((b) => b.releaseId === releaseId) ?? null;
}

function StartForm(props: { state: DeploymentState; offers: ActionOffer[]; viewer: Viewer }) {
  const { state } = props;
  const strategies = state.plan.runbook.strategies;
  const isManager = props.viewer.role === 'manager';
  const block = useReleaseBlock(state.plan.releaseId);
  // Only a store manager may bypass a block (the back end and the central server say the same).
  const mayBypass = block !== null && BYPASS_ROLES.includes(props.viewer.role);
  const toAction = (values: StartValues): DeploymentActionInput => ({
    type: 'start',
    strategy: values.strategy,
    canaryTerminalId: values.strategy === 'canary_first' ? values.canaryId : null,
    overrideReason:
      isManager && values.overrideReason.trim().length > 0 ? values.overrideReason.trim() : null,
    ...(mayBypass ? { blockBypassReason: values.blockBypassReason.trim() } : {}),
  });
  const contractRules = validateWith(deploymentActionInput, toAction, fieldOfAction);
  const form = useForm<StartValues>({
    initialValues: {
      strategy: strategies[0]!,
      canaryId: defaultCanaryId(state),
      overrideReason: '',
      blockBypassReason: '',
    },
    validate: (values) => ({
      ...contractRules(values),
      ...(mayBypass && values.blockBypassReason.trim().length < BYPASS_REASON_MIN_LENGTH
        ? {
            blockBypassReason: t('deployments:bypassTooShort', {
              n: BYPASS_REASON_MIN_LENGTH,
            }),
          }
        : {}),
    }),
  });
  const { strategy, canaryId } = form.values;
  const { act } = useAct(state.plan.deploymentId);
  // When the start was refused for the window: a change request then covers the next four hours.
  const [refusedAt, setRefusedAt] = useState<number | null>(null);
  const isWindowRefusal = refusalCode(act.error) === 'outside_window' && refusedAt !== null;
  const isRingRefusal = refusalCode(act.error) === 'ring_not_approved';
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      data-testid={ID.currentStep}
      data-kind="start"
      style={{ borderColor: 'var(--mantine-color-blue-5)', borderWidth: 2 }}
    >
      <Stack gap="sm">
        <div>
          <Title order={2}>{t('deployments:startTitle')}</Title>
          <Text size="sm" c="dimmed">
            {t('deployments:startHint')}
          </Text>
        </div>
        <Select
          label={t('deployments:strategy')}
          data={strategies.map((s) => ({ value: s, label: t(`domain:strategy.${s}`) }))}
          value={strategy}
          onChange={(value) => value !== null && form.setFieldValue('strategy', value)}
          allowDeselect={false}
          data-testid={ID.strategy}
        />
        {strategy === 'canary_first' && (
          <Select
            label={t('deployments:canaryTerminal')}
            description={t('deployments:canaryTerminalHint')}
            data={state.terminals.map((term) => ({
              value: term.terminalId,
              label: `${term.name} (${term.version ?? t('deployments:unknownVersion')}${term.version === state.plan.targetVersion ? `: ${t('deployments:alreadyOnTarget')}` : ''})`,
            }))}
            value={canaryId}
            onChange={(value) => form.setFieldValue('canaryId', value)}
            error={form.errors.canaryId}
            allowDeselect={false}
            data-testid={ID.canary}
          />
        )}
        {block !== null && (
          <Alert
            color="red"
            variant="light"
            icon={<IconBan size={18} />}
            title={t('deployments:blockedTitle', { version: block.version })}
            data-testid={ID.blocked}
          >
            <Stack gap={4}>
              <Text size="sm">{t('releases:blockedReason', { reason: block.reason })}</Text>
              <Text size="sm">
                {mayBypass ? t('deployments:bypassHint') : t('deployments:bypassManagerOnly')}
              </Text>
            </Stack>
          </Alert>
        )}
        {mayBypass && (
          <Textarea
            label={t('deployments:bypassReason')}
            description={t('deployments:bypassReasonHint', { n: BYPASS_REASON_MIN_LENGTH })}
            {...form.getInputProps('blockBypassReason')}
            autosize
            minRows={2}
            required
            data-testid={ID.bypassReason}
          />
        )}
        {isManager && (
          <Textarea
            label={t('deployments:overrideReason')}
            description={t('deployments:overrideHint')}
            {...form.getInputProps('overrideReason')}
            autosize
            minRows={1}
            data-testid={ID.overrideReason}
          />
        )}
        <Group>
          <OfferButton
            offer={find(props.offers, 'start')}
            label={t('deployments:start')}
            leftSection={<IconPlayerPlay size={16} />}
            loading={act.isPending}
            testId={ID.start}
            onClick={form.onSubmit((values) =>
              act.mutate(
                { deploymentId: state.plan.deploymentId, action: toAction(values) },
                { onError: () => setRefusedAt(Date.now()) },
              ),
            )}
          />
          <AbortControl state={state} offer={find(props.offers, 'abort')} />
        </Group>
        <ActionError error={act.error} />
        {isRingRefusal && (
          <Alert color="yellow" variant="light" title={t('deployments:ringTitle')}>
            <Stack gap="xs">
              <Text size="sm">{t('deployments:ringHint')}</Text>
              <RequestChangeButton
                label={t('deployments:requestRing')}
                deviation={{
                  kind: 'release_not_approved_for_ring',
                  storeId: state.plan.storeId,
                  releaseId: state.plan.releaseId,
                }}
              />
            </Stack>
          </Alert>
        )}
        {isWindowRefusal && (
          <Alert color="yellow" variant="light" title={t('deployments:freezeTitle')}>
            <Stack gap="xs">
              <Text size="sm">{t('deployments:freezeHint')}</Text>
              <RequestChangeButton
                label={t('deployments:requestWindow')}
                deviation={{
                  kind: 'deploy_outside_window',
                  storeId: state.plan.storeId,
                  releaseId: state.plan.releaseId,
                  from: refusedAt,
                  to: refusedAt + 4 * 3_600_000,
                }}
              />
            </Stack>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

function InterventionBody(props: {
  state: DeploymentState;
  offers: ActionOffer[];
  nameOf: (userId: string) => string;
  viewer: Viewer;
}) {
  const { state, offers } = props;
  const intervention = state.intervention!;
  const form = useForm({ initialValues: { notes: '' } });
  const { act, run } = useAct(state.plan.deploymentId);
  const notes = form.values.notes;
  const claimant = intervention.claimant;
  const isMine = claimant?.userId === props.viewer.userId;
  return (
    <Stack gap="sm">
      <Alert
        color={claimant === null ? 'yellow' : isMine ? 'blue' : 'gray'}
        variant="light"
        icon={claimant === null ? <IconHandStop size={18} /> : <IconUserCheck size={18} />}
        data-testid={ID.claimant}
        data-claimant={claimant?.userId ?? ''}
      >
        <Text size="sm" fw={600}>
          {claimant === null
            ? t('deployments:interventionUnclaimed', {
                role: t(`domain:roleIndefinite.${intervention.role}`),
              })
            : isMine
              ? t('deployments:interventionHeldByYou')
              : t('deployments:interventionHeldBy', { who: props.nameOf(claimant.userId) })}
        </Text>
      </Alert>
      {claimant === null ? (
        <Group>
          <OfferButton
            offer={find(offers, 'claim_intervention')}
            label={t('deployments:claim')}
            leftSection={<IconUserCheck size={16} />}
            onClick={() => run({ type: 'claim_intervention' })}
            loading={act.isPending}
            testId={ID.claim}
          />
        </Group>
      ) : isMine ? (
        <>
          <Textarea
            label={t('deployments:interventionNotes')}
            {...form.getInputProps('notes')}
            autosize
            minRows={2}
            data-testid={ID.interventionNotes}
          />
          <Group>
            <OfferButton
              offer={find(offers, 'proceed_intervention')}
              label={t('deployments:proceed')}
              leftSection={<IconCheck size={16} />}
              onClick={() =>
                run({ type: 'proceed_intervention', notes: notes.trim() }, () => form.reset())
              }
              loading={act.isPending}
              testId={ID.proceed}
            />
            <OfferButton
              offer={find(offers, 'release_intervention')}
              label={t('deployments:releaseClaim')}
              variant="default"
              onClick={() => run({ type: 'release_intervention' })}
              testId={ID.releaseClaim}
            />
            <OfferButton
              offer={find(offers, 'abort_intervention')}
              label={t('deployments:abortIntervention')}
              variant="light"
              color="red"
              // Aborting needs a reason (proceeding does not): judged by the state machine's own rule.
              onClick={() => {
                const errors = abortInterventionRules(form.values);
                form.setErrors(errors);
                if (Object.keys(errors).length === 0)
                  run({ type: 'abort_intervention', notes: notes.trim() });
              }}
              testId={ID.abortIntervention}
            />
          </Group>
          <Text size="xs" c="dimmed">
            {t('deployments:interventionNotesAbort')}
          </Text>
        </>
      ) : null}
      <ActionError error={act.error} />
    </Stack>
  );
}

function VersionCaptureBody(props: { state: DeploymentState; offers: ActionOffer[] }) {
  const { state } = props;
  const scope = terminalsInScope(state);
  const captured = state.step?.captured ?? [];
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('deployments:versionHint')}
      </Text>
      {scope.length === 0 && (
        <Alert color="yellow" variant="light">
          {t('deployments:noTerminalToRecord')}
        </Alert>
      )}
      {scope.map((term, i) => (
        <VersionRow
          key={term.terminalId}
          state={state}
          terminalId={term.terminalId}
          name={term.name}
          version={captured.includes(term.terminalId) ? term.version : null}
          offer={find(props.offers, 'record_version')}
          autoFocus={i === 0}
        />
      ))}
      <DoneButton
        state={state}
        offer={find(props.offers, 'complete_step')}
        label={t('deployments:done')}
      />
    </Stack>
  );
}

function VersionRow(props: {
  state: DeploymentState;
  terminalId: string;
  name: string;
  version: string | null;
  offer: ActionOffer | undefined;
  autoFocus: boolean;
}) {
  const toAction = (values: { version: string }): DeploymentActionInput => ({
    type: 'record_version',
    terminalId: props.terminalId,
    version: values.version.trim(),
  });
  const form = useForm({
    initialValues: { version: '' },
    validate: validateWith(deploymentActionInput, toAction, fieldOfAction),
  });
  const { act, run } = useAct(props.state.plan.deploymentId);
  const isDisabled = props.offer === undefined || props.offer.whyNot !== null;
  const value = form.values.version;
  const submit = form.onSubmit((values) => {
    if (values.version.trim().length === 0 || isDisabled) return;
    run(toAction(values), () => form.reset());
  });
  return (
    <Stack gap={4}>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput
          label={t('deployments:versionLabel', { name: props.name })}
          placeholder={t('deployments:expectedVersion', { target: props.state.plan.targetVersion })}
          {...form.getInputProps('version')}
          onKeyDown={(e) => {
            // Barcode scanners type the label, then Enter.
            if (e.key === 'Enter') {
              e.preventDefault();
              submit();
            }
          }}
          disabled={isDisabled}
          autoFocus={props.autoFocus}
          style={{ flex: 1 }}
          data-testid={ID.versionInput}
          data-terminal-id={props.terminalId}
        />
        <Button
          variant="light"
          onClick={() => submit()}
          disabled={isDisabled || value.trim().length === 0}
          loading={act.isPending}
          data-testid={ID.versionSave}
          data-terminal-id={props.terminalId}
        >
          {t('deployments:versionSave')}
        </Button>
        {props.version !== null && (
          <Badge
            color={props.version === props.state.plan.targetVersion ? 'teal' : 'orange'}
            variant="light"
            size="lg"
            leftSection={<IconCheck size={12} />}
          >
            {t('deployments:versionRecorded', { version: props.version })}
          </Badge>
        )}
      </Group>
      <ActionError error={act.error} />
    </Stack>
  );
}

function SmokeBody(props: {
  state: DeploymentState;
  step: Extract<RunbookStep, { kind: 'checklist' }>;
  offer: ActionOffer | undefined;
}) {
  const { state, step } = props;
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const runs = useRuns(state.plan.storeId, state.plan.releaseId);
  const smokeRun =
    runs.data === undefined || state.step === null
      ? null
      : pickSmokeRun(state, runs.data, state.step.startedAt);
  const { act, run } = useAct(state.plan.deploymentId);
  const search = `?store=${state.plan.storeId}&release=${state.plan.releaseId}&returnTo=${encodeURIComponent(`/deployments/${state.plan.deploymentId}`)}`;
  const openRun = (runId: string) => void navigate(`/checklists/runs/${runId}${search}`);
  const start = useMutation({
    mutationFn: () =>
      api['checklists:startRun']({
        templateId: step.templateId,
        releaseId: state.plan.releaseId,
        terminalIds: terminalsInScope(state).map((term) => term.terminalId),
      }),
    onSuccess: (view) => {
      void queryClient.invalidateQueries({ queryKey: ['checklists'] });
      openRun(view.run.id);
    },
  });
  // No terminal left in scope (all excluded): a run on nothing would be refused, so none is offered.
  const hasScope = terminalsInScope(state).length > 0;
  const isDisabled = props.offer === undefined || props.offer.whyNot !== null || !hasScope;
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('deployments:smokeIntro')}
      </Text>
      {!hasScope && (
        <Alert color="yellow" variant="light">
          {t('deployments:noTerminalToRecord')}
        </Alert>
      )}
      {smokeRun === null ? (
        <Text size="sm">{t('deployments:noSmokeRun')}</Text>
      ) : (
        <Group
          gap="xs"
          data-testid={ID.smokeRun}
          data-run-id={smokeRun.id}
          data-status={smokeRun.status}
        >
          <IconListCheck size={18} />
          <Anchor component={Link} to={`/checklists/runs/${smokeRun.id}${search}`} size="sm">
            {smokeRun.templateName}
          </Anchor>
          <Badge color={runStatusColor(smokeRun.status)} variant="light">
            {t(`checklists:runStatus.${smokeRun.status}`)}
          </Badge>
          <Text size="sm" c="dimmed">
            {t('deployments:percentAnswered', { percent: Math.round(smokeRun.completion * 100) })}
          </Text>
        </Group>
      )}
      <Group>
        <Button
          variant={smokeRun === null ? 'filled' : 'light'}
          leftSection={<IconListCheck size={16} />}
          onClick={() => (smokeRun === null ? start.mutate() : openRun(smokeRun.id))}
          disabled={isDisabled}
          loading={start.isPending}
          data-testid={ID.runSmoke}
        >
          {smokeRun === null ? t('deployments:runSmoke') : t('deployments:continueSmoke')}
        </Button>
        <Button
          leftSection={<IconCheck size={16} />}
          onClick={() =>
            smokeRun !== null && run({ type: 'record_smoke_result', runId: smokeRun.id })
          }
          disabled={isDisabled || smokeRun === null}
          loading={act.isPending}
          data-testid={ID.recordSmoke}
        >
          {t('deployments:recordSmoke')}
        </Button>
      </Group>
      <ActionError error={start.error} />
      <ActionError error={act.error} />
    </Stack>
  );
}

function WaitBody(props: { state: DeploymentState; offer: ActionOffer | undefined; now: number }) {
  const endsAt = waitEndsAt(props.state) ?? props.now;
  const left = endsAt - props.now;
  return (
    <Stack gap="sm">
      <Group gap="xs" data-testid={ID.waitRemaining} data-ends-at={endsAt}>
        <IconClock size={18} />
        <Text size="lg" fw={700} aria-live="polite">
          {left > 0
            ? t('deployments:waitRemaining', { duration: waitDuration(left) })
            : t('deployments:waitOver')}
        </Text>
      </Group>
      <DoneButton state={props.state} offer={props.offer} label={t('deployments:doneWaiting')} />
    </Stack>
  );
}

function StageBody(props: { state: DeploymentState; offers: ActionOffer[] }) {
  const { state } = props;
  const { act, run } = useAct(state.plan.deploymentId);
  const offer = find(props.offers, 'stage_release');
  return (
    <Stack gap="sm">
      {terminalsInScope(state).map((term) => (
        <Group key={term.terminalId} gap="xs">
          <Text size="sm" fw={600} w={160}>
            {term.name}
          </Text>
          {term.slot === 'new_staged' ? (
            <Badge color="teal" variant="light" leftSection={<IconCheck size={12} />}>
              {t('deployments:slot.new_staged')}
            </Badge>
          ) : (
            <Button
              size="xs"
              variant="light"
              disabled={offer?.whyNot !== null}
              onClick={() => run({ type: 'stage_release', terminalId: term.terminalId })}
              data-testid={ID.stage}
              data-terminal-id={term.terminalId}
            >
              {t('deployments:stage')}
            </Button>
          )}
        </Group>
      ))}
      <ActionError error={act.error} />
      <DoneButton
        state={state}
        offer={find(props.offers, 'complete_step')}
        label={t('deployments:done')}
      />
    </Stack>
  );
}

function SwitchBody(props: { state: DeploymentState; offers: ActionOffer[] }) {
  const { act, run } = useAct(props.state.plan.deploymentId);
  const isForward = props.state.phase === 'forward';
  return (
    <Stack gap="sm">
      <Group>
        <OfferButton
          offer={find(props.offers, isForward ? 'switch_slots' : 'switch_back')}
          label={isForward ? t('deployments:switchSlots') : t('deployments:switchBack')}
          leftSection={<IconSwitchHorizontal size={16} />}
          onClick={() => run({ type: isForward ? 'switch_slots' : 'switch_back' })}
          loading={act.isPending}
          testId={isForward ? ID.switchSlots : ID.switchBack}
        />
      </Group>
      <ActionError error={act.error} />
    </Stack>
  );
}

function FailStepControl(props: { state: DeploymentState; offer: ActionOffer | undefined }) {
  const [isOpen, setOpen] = useState(false);
  const form = useForm({ initialValues: { reason: '' }, validate: reasonRules('fail_step') });
  const { act, run } = useAct(props.state.plan.deploymentId);
  const submit = form.onSubmit((values) =>
    run({ type: 'fail_step', reason: values.reason.trim() }, () => setOpen(false)),
  );
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (isOpen) reasonRef.current?.focus();
  }, [isOpen]);
  if (props.offer === undefined) return null;
  return (
    <Stack gap="xs" style={{ flex: isOpen ? '1 1 100%' : undefined }}>
      <Group>
        <Button
          variant="subtle"
          color="red"
          leftSection={<IconAlertTriangle size={16} />}
          onClick={() => setOpen((o) => !o)}
          disabled={props.offer.whyNot !== null}
          aria-expanded={isOpen}
          data-testid={ID.failStep}
        >
          {t('deployments:failStep')}
        </Button>
      </Group>
      {isOpen && (
        <>
          <Textarea
            ref={reasonRef}
            label={t('deployments:failReason')}
            {...form.getInputProps('reason')}
            autosize
            minRows={2}
            data-testid={ID.failReason}
          />
          <Group>
            <Button
              color="red"
              onClick={() => submit()}
              loading={act.isPending}
              data-testid={ID.failSubmit}
            >
              {t('deployments:failSubmit')}
            </Button>
          </Group>
          <ActionError error={act.error} />
        </>
      )}
    </Stack>
  );
}

/** Abort asks for a confirmation and a reason, in a modal: it cannot be undone. */
export function AbortControl(props: {
  state: DeploymentState;
  offer: ActionOffer | undefined;
  variant?: 'subtle' | 'outline';
}) {
  const [isOpen, setOpen] = useState(false);
  const form = useForm({ initialValues: { reason: '' }, validate: reasonRules('abort') });
  const { act, run } = useAct(props.state.plan.deploymentId);
  const submit = form.onSubmit((values) =>
    run({ type: 'abort', isConfirmed: true, reason: values.reason.trim() }, () => setOpen(false)),
  );
  if (props.offer === undefined) return null;
  return (
    <>
      <Button
        variant={props.variant ?? 'subtle'}
        color="red"
        onClick={() => setOpen(true)}
        disabled={props.offer.whyNot !== null}
        data-testid={ID.abort}
      >
        {t('deployments:abort')}
      </Button>
      <Modal opened={isOpen} onClose={() => setOpen(false)} title={t('deployments:abortTitle')}>
        <Stack gap="sm">
          <Text size="sm">{t('deployments:abortHint')}</Text>
          <Textarea
            label={t('deployments:abortReason')}
            {...form.getInputProps('reason')}
            autosize
            minRows={2}
            data-autofocus
            data-testid={ID.abortReason}
          />
          <ActionError error={act.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('deployments:cancel')}
            </Button>
            <Button
              color="red"
              onClick={() => submit()}
              loading={act.isPending}
              data-testid={ID.abortConfirm}
            >
              {t('deployments:abortConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
