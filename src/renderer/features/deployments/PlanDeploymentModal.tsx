/** "Plan a deployment": a release, a store, and optionally some of its terminals; the runbook comes with the release. */
import { useState } from 'react';
import { Alert, Button, Checkbox, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import contrast from '../../components/contrast.module.css';
import { useStores, useStoreTerminals } from '../checklists/queries.ts';
import { plannableReleases } from './planOptions.ts';
import { usePlanDeployment, useReleases } from './queries.ts';
import { DEPLOYMENT_TEST_IDS } from './testIds.ts';
import { DEPLOYMENTS_TEXT as T } from './text.ts';

export function PlanDeploymentModal(props: {
  onClose: () => void;
  onPlanned: (deploymentId: string) => void;
}) {
  const releases = useReleases();
  const stores = useStores();
  const [releaseId, setReleaseId] = useState<string | null>(null);
  const [storeId, setStoreId] = useState<string | null>(null);
  const [terminalIds, setTerminalIds] = useState<string[]>([]);
  const terminals = useStoreTerminals(storeId);
  const plan = usePlanDeployment();

  const submit = () => {
    if (releaseId === null || storeId === null) return;
    plan.mutate(
      { releaseId, storeId, ...(terminalIds.length > 0 ? { terminalIds } : {}) },
      { onSuccess: (view) => props.onPlanned(view.state.plan.deploymentId) },
    );
  };

  return (
    <Modal
      opened
      onClose={props.onClose}
      title={T.planTitle}
      size="lg"
      className={contrast.contrast}
    >
      <Stack gap="sm">
        <Select
          label={T.planRelease}
          description={T.planReleaseHint}
          searchable
          data={plannableReleases(releases.data ?? []).map((r) => ({
            value: r.id,
            label: `${r.version} (${r.type}) — ${r.title}`,
          }))}
          value={releaseId}
          onChange={setReleaseId}
          data-testid={DEPLOYMENT_TEST_IDS.planRelease}
        />
        <Select
          label={T.planStore}
          searchable
          data={(stores.data ?? []).map((s) => ({
            value: s.id,
            label: `${s.name} (${s.terminalCount} ${s.terminalCount === 1 ? 'terminal' : 'terminals'})`,
          }))}
          value={storeId}
          onChange={(value) => {
            setStoreId(value);
            setTerminalIds([]);
          }}
          data-testid={DEPLOYMENT_TEST_IDS.planStore}
        />
        {storeId !== null && (
          <Checkbox.Group
            label={T.planTerminals}
            description={T.planTerminalsHint}
            value={terminalIds}
            onChange={setTerminalIds}
          >
            <Group gap="md" mt={6}>
              {(terminals.data ?? []).map((t) => (
                <Checkbox
                  key={t.id}
                  value={t.id}
                  label={`${t.name} (${t.version ?? T.unknownVersion})`}
                  data-testid={DEPLOYMENT_TEST_IDS.planTerminal}
                  data-terminal-id={t.id}
                />
              ))}
            </Group>
          </Checkbox.Group>
        )}
        {plan.isError && (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title={T.refusalTitle}
            data-testid={DEPLOYMENT_TEST_IDS.planError}
          >
            <Text size="sm">{plan.error.message}</Text>
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {T.cancel}
          </Button>
          <Button
            onClick={submit}
            disabled={releaseId === null || storeId === null}
            loading={plan.isPending}
            data-testid={DEPLOYMENT_TEST_IDS.planSubmit}
          >
            {T.planSubmit}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
