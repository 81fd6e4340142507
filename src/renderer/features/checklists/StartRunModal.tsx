/** Start a run: a checklist (those the release requires first) on terminals of the store. */
import { useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Text,
} from '@mantine/core';
import { useNavigate } from 'react-router';
import { ChainVerdict } from '../health/ChainVerdict.tsx';
import { useApi } from '../../api/ApiContext.tsx';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { useChecklistMutation, useStoreTerminals, useTemplates } from './queries.ts';
import { CHECKLIST_TEST_IDS } from './testIds.ts';
import contrast from '../../components/contrast.module.css';
import { t } from '../../i18n/index.ts';
import { RevisionGateNote, useRevisionBlock } from '../revisions/RevisionGateNote.tsx';

export function StartRunModal(props: {
  storeId: string;
  releaseId: string;
  search: string;
  onClose: () => void;
}) {
  const api = useApi();
  const navigate = useNavigate();
  const templates = useTemplates(props.releaseId);
  const terminals = useStoreTerminals(props.storeId);
  const requirements = (templates.data?.requirements ?? []).filter(
    (r) => r.releaseId === props.releaseId,
  );
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [terminalIds, setTerminalIds] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const start = useChecklistMutation(api['checklists:startRun']);

  const chosen = templateId ?? requirements[0]?.templateId ?? null;
  const requirement = requirements.find((r) => r.templateId === chosen);
  // A template short of approvals cannot start: say so before the click.
  const revisionTarget =
    chosen === null ? null : { kind: 'checklistTemplate' as const, docId: chosen };
  const revisionBlock = useRevisionBlock(revisionTarget);
  const options = [...(templates.data?.templates ?? [])].sort(
    (a, b) =>
      Number(requirements.some((r) => r.templateId === b.id)) -
      Number(requirements.some((r) => r.templateId === a.id)),
  );

  function submit() {
    if (!chosen) return setProblem(t('checklists:startNeedTemplate'));
    if (terminalIds.length === 0) return setProblem(t('checklists:startNeedTerminal'));
    setProblem(null);
    start.mutate(
      { templateId: chosen, releaseId: props.releaseId, terminalIds },
      {
        onSuccess: (view) =>
          void navigate(`/checklists/runs/${encodeURIComponent(view.run.id)}${props.search}`),
      },
    );
  }

  return (
    <Modal
      opened
      onClose={props.onClose}
      title={t('checklists:startTitle')}
      size="lg"
      className={contrast.contrast}
    >
      {templates.isPending || terminals.isPending ? (
        <LoadingRows rows={5} />
      ) : templates.isError ? (
        <ErrorState error={templates.error} onRetry={() => void templates.refetch()} />
      ) : terminals.isError ? (
        <ErrorState error={terminals.error} onRetry={() => void terminals.refetch()} />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Stack gap="sm">
            <ChainVerdict releaseId={props.releaseId} />
            <Select
              label={t('checklists:startTemplate')}
              description={t('checklists:startTemplateHint')}
              data={options.map((term) => ({
                value: term.id,
                label: `${term.name}${requirements.some((r) => r.templateId === term.id) ? ` (${t('checklists:requiredBadge').toLowerCase()})` : ''}`,
              }))}
              value={chosen}
              onChange={setTemplateId}
              allowDeselect={false}
              data-testid={CHECKLIST_TEST_IDS.startTemplate}
            />
            <Checkbox.Group
              label={t('checklists:startTerminals')}
              description={
                requirement
                  ? t('checklists:startTerminalsHint', { count: requirement.terminalCount })
                  : undefined
              }
              value={terminalIds}
              onChange={setTerminalIds}
            >
              <SimpleGrid cols={2} mt={6} spacing={6}>
                {terminals.data.map((term) => (
                  <Checkbox
                    key={term.id}
                    value={term.id}
                    label={
                      <Text size="sm" span>
                        {term.name}{' '}
                        <Text size="xs" c="dimmed" span>
                          {term.model} · {term.version ?? '?'}
                        </Text>
                      </Text>
                    }
                    data-testid={CHECKLIST_TEST_IDS.startTerminal}
                    data-terminal-id={term.id}
                  />
                ))}
              </SimpleGrid>
            </Checkbox.Group>
            {(problem ?? start.error) && (
              <Alert color="red" variant="light">
                {problem ?? start.error?.message}
              </Alert>
            )}
            <RevisionGateNote target={revisionTarget} />
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>
                {t('checklists:cancel')}
              </Button>
              <Button
                type="submit"
                loading={start.isPending}
                disabled={revisionBlock.reason !== null}
                title={revisionBlock.reason ?? undefined}
                data-testid={CHECKLIST_TEST_IDS.startSubmit}
              >
                {t('checklists:startSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
