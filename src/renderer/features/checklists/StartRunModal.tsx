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
import { useApi } from '../../api/ApiContext.tsx';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { useChecklistMutation, useStoreTerminals, useTemplates } from './queries.ts';
import { CHECKLIST_TEST_IDS } from './testIds.ts';
import { CHECKLISTS_TEXT } from './text.ts';
import contrast from '../../components/contrast.module.css';

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
  const options = [...(templates.data?.templates ?? [])].sort(
    (a, b) =>
      Number(requirements.some((r) => r.templateId === b.id)) -
      Number(requirements.some((r) => r.templateId === a.id)),
  );

  function submit() {
    if (!chosen) return setProblem(CHECKLISTS_TEXT.startNeedTemplate);
    if (terminalIds.length === 0) return setProblem(CHECKLISTS_TEXT.startNeedTerminal);
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
      title={CHECKLISTS_TEXT.startTitle}
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
            <Select
              label={CHECKLISTS_TEXT.startTemplate}
              description={CHECKLISTS_TEXT.startTemplateHint}
              data={options.map((t) => ({
                value: t.id,
                label: `${t.name}${requirements.some((r) => r.templateId === t.id) ? ` (${CHECKLISTS_TEXT.requiredBadge.toLowerCase()})` : ''}`,
              }))}
              value={chosen}
              onChange={setTemplateId}
              allowDeselect={false}
              data-testid={CHECKLIST_TEST_IDS.startTemplate}
            />
            <Checkbox.Group
              label={CHECKLISTS_TEXT.startTerminals}
              description={
                requirement
                  ? CHECKLISTS_TEXT.startTerminalsHint(requirement.terminalCount)
                  : undefined
              }
              value={terminalIds}
              onChange={setTerminalIds}
            >
              <SimpleGrid cols={2} mt={6} spacing={6}>
                {terminals.data.map((t) => (
                  <Checkbox
                    key={t.id}
                    value={t.id}
                    label={
                      <Text size="sm" span>
                        {t.name}{' '}
                        <Text size="xs" c="dimmed" span>
                          {t.model} · {t.version ?? '?'}
                        </Text>
                      </Text>
                    }
                    data-testid={CHECKLIST_TEST_IDS.startTerminal}
                    data-terminal-id={t.id}
                  />
                ))}
              </SimpleGrid>
            </Checkbox.Group>
            {(problem ?? start.error) && (
              <Alert color="red" variant="light">
                {problem ?? start.error?.message}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>
                {CHECKLISTS_TEXT.cancel}
              </Button>
              <Button
                type="submit"
                loading={start.isPending}
                data-testid={CHECKLIST_TEST_IDS.startSubmit}
              >
                {CHECKLISTS_TEXT.startSubmit}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
