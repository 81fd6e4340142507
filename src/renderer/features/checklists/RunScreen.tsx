/**
 * One checklist run: a tab per terminal, the template's sections and items in
 * order (conditional items appear once an earlier answer asks for them),
 * score and completion always in view, pause / resume, and the report.
 */
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  Stack,
  Tabs,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconArrowLeft,
  IconKeyboard,
  IconLock,
  IconPlayerPause,
  IconPlayerPlay,
  IconPrinter,
} from '@tabler/icons-react';
import { Link, useLocation, useParams } from 'react-router';
import type {
  ChecklistRunView,
  RecordResultOutcome,
  RunTerminalView,
} from '#shared/checklists/types.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useCan } from '../../api/permissions.ts';
import { formatDateTime } from '../../components/format.ts';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { nextItemId, runStatusColor, scoreRuleText, scoreText } from './answerUi.ts';
import { ItemRow } from './ItemRow.tsx';
import { useChecklistMutation, useRun } from './queries.ts';
import { CHECKLIST_TEST_IDS } from './testIds.ts';
import { deploymentReturnPath } from '../deployments/returnPath.ts';
import { DEPLOYMENT_TEST_IDS } from '../deployments/testIds.ts';
import classes from './Checklists.module.css';
import contrast from '../../components/contrast.module.css';
import { ExportButton, pagesOf } from '../../components/ExportButton.tsx';
import { runResultColumns, runResultRows } from './runExport.ts';
import { ProvenanceBadge } from '../../components/ProvenanceBadge.tsx';
import { t } from '../../i18n/index.ts';
import { useReportChecklistRun } from '../../app/onScreen.ts';

export function RunScreen() {
  const { runId = '' } = useParams();
  const run = useRun(runId);
  if (run.isPending) return <LoadingRows rows={12} height={40} />;
  if (run.isError) return <ErrorState error={run.error} onRetry={() => void run.refetch()} />;
  return <RunView view={run.data} />;
}

function RunView(props: { view: ChecklistRunView }) {
  const { run, template, terminals } = props.view;
  const api = useApi();
  const location = useLocation();
  const canAnswer = useCan('checklists:recordResult');
  const canPause = useCan(run.isPaused ? 'checklists:resumeRun' : 'checklists:pauseRun');
  const canWaivePermission = useCan('checklists:waiveItem');
  const [terminalId, setTerminalId] = useState<string | null>(null);
  const shown = terminals.find((term) => term.terminalId === terminalId) ?? terminals[0];
  const pause = useChecklistMutation(api['checklists:pauseRun']);
  const resume = useChecklistMutation(api['checklists:resumeRun']);
  const toggle = run.isPaused ? resume : pause;
  // A run being answered holds back the console's update restart (paused or finished runs do not).
  useReportChecklistRun(
    run.isPaused || run.status !== 'in_progress' ? null : { id: run.id, label: run.templateName },
  );
  const resultRows = runResultRows(props.view);

  return (
    <Tabs
      value={shown?.terminalId ?? null}
      onChange={setTerminalId}
      keepMounted={false}
      className={contrast.contrast}
    >
      <Stack gap="sm" data-testid={CHECKLIST_TEST_IDS.runView} data-run-id={run.id}>
        <Paper withBorder radius="md" p="sm" pb={0} className={classes.sticky}>
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Stack gap={2}>
              <Group gap="md">
                <Anchor component={Link} to={`/checklists${location.search}`} size="xs">
                  <Group gap={4}>
                    <IconArrowLeft size={12} />
                    {t('checklists:back')}
                  </Group>
                </Anchor>
                {deploymentReturnPath(location.search) !== null && (
                  <Anchor
                    component={Link}
                    to={deploymentReturnPath(location.search)!}
                    size="xs"
                    fw={700}
                    data-testid={DEPLOYMENT_TEST_IDS.backToDeployment}
                  >
                    <Group gap={4}>
                      <IconArrowLeft size={12} />
                      {t('deployments:backToDeployment')}
                    </Group>
                  </Anchor>
                )}
              </Group>
              <Group gap="xs">
                <Title order={1} size="h2">
                  {run.templateName}
                </Title>
                <Badge
                  color={runStatusColor(run.status)}
                  variant="filled"
                  data-testid={CHECKLIST_TEST_IDS.runStatus}
                  data-status={run.status}
                >
                  {t(`checklists:runStatus.${run.status}`)}
                </Badge>
                {run.isPaused && (
                  <Badge color="gray" variant="outline">
                    {t('checklists:paused')}
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed">
                {run.releaseVersion} · {run.storeName} ·{' '}
                {t('checklists:startedBy', {
                  name: run.startedBy.name,
                  when: formatDateTime(run.startedAt),
                })}
              </Text>
              <ProvenanceBadge subject={{ kind: 'checklistRun', id: run.id }} />
            </Stack>
            <Group gap="lg" wrap="nowrap" align="center">
              <Tooltip label={scoreRuleText()} multiline w={340}>
                <Stack gap={0} align="center">
                  <Text size="xs" c="dimmed">
                    {t('checklists:score')}
                  </Text>
                  <Text
                    fw={700}
                    size="lg"
                    className={classes.num}
                    data-testid={CHECKLIST_TEST_IDS.runScore}
                    data-percent={run.score.percent ?? ''}
                  >
                    {scoreText(run.score)}
                  </Text>
                </Stack>
              </Tooltip>
              <Stack gap={2} w={140}>
                <Group justify="space-between">
                  <Text size="xs" c="dimmed">
                    {t('checklists:completion')}
                  </Text>
                  <Text
                    size="xs"
                    fw={600}
                    className={classes.num}
                    data-testid={CHECKLIST_TEST_IDS.runCompletion}
                    data-value={run.completion}
                  >
                    {run.completion} %
                  </Text>
                </Group>
                <Progress
                  value={run.completion}
                  color={run.completion === 100 ? 'teal' : 'blue'}
                  aria-label={t('checklists:completion')}
                />
              </Stack>
              <ExportButton
                what={t('csv:exportName.runResults', {
                  template: run.templateName,
                  store: run.storeName,
                })}
                columns={runResultColumns()}
                total={resultRows.length}
                loadPage={pagesOf(resultRows)}
              />
              {canPause.allowed && (
                <Button
                  size="xs"
                  variant="default"
                  leftSection={
                    run.isPaused ? <IconPlayerPlay size={14} /> : <IconPlayerPause size={14} />
                  }
                  loading={toggle.isPending}
                  onClick={() => toggle.mutate({ runId: run.id })}
                  data-testid={run.isPaused ? CHECKLIST_TEST_IDS.resume : CHECKLIST_TEST_IDS.pause}
                >
                  {run.isPaused ? t('checklists:resume') : t('checklists:pause')}
                </Button>
              )}
              <Button
                size="xs"
                variant="light"
                component={Link}
                to={`/reports/runs/${encodeURIComponent(run.id)}`}
                leftSection={<IconPrinter size={14} />}
                data-testid={CHECKLIST_TEST_IDS.report}
              >
                {t('checklists:report')}
              </Button>
            </Group>
          </Group>
          {toggle.error && (
            <Alert color="red" variant="light" mt="xs">
              {toggle.error.message}
            </Alert>
          )}
          <Tabs.List mt="xs">
            {terminals.map((term) => (
              <Tabs.Tab
                key={term.terminalId}
                value={term.terminalId}
                data-testid={CHECKLIST_TEST_IDS.terminalTab}
                data-terminal-id={term.terminalId}
                data-status={term.status}
                rightSection={
                  <Group gap={4} wrap="nowrap">
                    <Badge size="xs" color={runStatusColor(term.status)} variant="light">
                      {t(`checklists:runStatus.${term.status}`)} · {term.completion} %
                    </Badge>
                    <Text
                      size="xs"
                      c="dimmed"
                      className={classes.num}
                      data-testid={CHECKLIST_TEST_IDS.terminalScore}
                      data-percent={term.score.percent ?? ''}
                    >
                      {t('checklists:score')} {scoreText(term.score)}
                    </Text>
                  </Group>
                }
              >
                {term.terminalName}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Paper>
        {run.isPaused && (
          <Alert color="gray" variant="light" icon={<IconPlayerPause size={16} />}>
            {t('checklists:pausedBanner')}
          </Alert>
        )}
        {!canAnswer.allowed && (
          <Alert
            color="gray"
            variant="light"
            icon={<IconLock size={16} />}
            data-testid={CHECKLIST_TEST_IDS.readOnlyBanner}
          >
            {t('checklists:readOnlyBanner', { reason: canAnswer.reason ?? '' })}
          </Alert>
        )}
        {terminals.map((term) => (
          <Tabs.Panel key={term.terminalId} value={term.terminalId} pt="xs">
            <TerminalItems
              view={props.view}
              terminal={term}
              isReadOnly={run.isPaused || !canAnswer.allowed}
              canWaive={canWaivePermission.allowed}
            />
          </Tabs.Panel>
        ))}
        <Text size="xs" c="dimmed">
          <IconKeyboard size={12} style={{ verticalAlign: 'middle' }} />{' '}
          {t('checklists:keyboardHint')}
        </Text>
        <Text size="xs" c="dimmed" data-testid={CHECKLIST_TEST_IDS.scoreRule}>
          {t('checklists:score')}: {scoreRuleText()}
        </Text>
        {template.description && (
          <Text size="xs" c="dimmed">
            {template.description}
          </Text>
        )}
      </Stack>
    </Tabs>
  );
}

function TerminalItems(props: {
  view: ChecklistRunView;
  terminal: RunTerminalView;
  isReadOnly: boolean;
  canWaive: boolean;
}) {
  const { template } = props.view;
  const states = useMemo(
    () => new Map(props.terminal.items.map((i) => [i.itemId, i])),
    [props.terminal.items],
  );
  const panelRef = useRef<HTMLDivElement | null>(null);
  const [focusItemId, setFocusItemId] = useState<string | null>(null);
  const onAnswered = useCallback((itemId: string, outcome: RecordResultOutcome) => {
    // After the last item, focus stays on the answered row rather than drop to the page.
    setFocusItemId(nextItemId(outcome.terminal.items, itemId) ?? itemId);
  }, []);
  // Focus moves once the target row is on screen: a follow-up the answer just revealed
  // is rendered only when the new terminal state is, so wait for it rather than skip it.
  useLayoutEffect(() => {
    if (focusItemId === null) return;
    const row = panelRef.current?.querySelector<HTMLElement>(
      `[data-testid="${CHECKLIST_TEST_IDS.item}"][data-item-id="${focusItemId}"]`,
    );
    if (!row) return;
    row.focus();
    setFocusItemId(null);
  }, [focusItemId, states]);
  const hidden = props.terminal.items.filter((i) => !i.isVisible).length;
  return (
    <Paper withBorder radius="md" ref={panelRef}>
      {template.sections.map((section, sectionIndex) => {
        const visible = section.items.filter((item) => states.get(item.id)?.isVisible);
        if (visible.length === 0) return null;
        return (
          <section key={section.id} aria-label={section.title}>
            <Text size="sm" fw={700} className={classes.sectionTitle}>
              {sectionIndex + 1}. {section.title}
            </Text>
            {visible.map((item) => (
              <ItemRow
                key={item.id}
                number={`${sectionIndex + 1}.${section.items.indexOf(item) + 1}`}
                item={item}
                state={states.get(item.id)!}
                runId={props.view.run.id}
                terminalId={props.terminal.terminalId}
                terminalName={props.terminal.terminalName}
                isReadOnly={props.isReadOnly}
                canWaive={props.canWaive}
                onAnswered={onAnswered}
              />
            ))}
          </section>
        );
      })}
      {hidden > 0 && (
        <Text size="xs" c="dimmed" p="xs">
          {t('checklists:hiddenItems', { count: hidden })}
        </Text>
      )}
    </Paper>
  );
}
