/** "Plan a deployment": a release, a store, and optionally some of its terminals; the runbook comes with the release. */
import { useState } from 'react';
import { Alert, Button, Checkbox, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import contrast from '../../components/contrast.module.css';
import { useStores, useStoreTerminals } from '../checklists/queries.ts';
import { plannableReleases } from './planOptions.ts';
import { usePlanDeployment, useReleases } from './queries.ts';
import { DEPLOYMENT_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';
import { RevisionGateNote, useRevisionBlock } from '../revisions/RevisionGateNote.tsx';

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

  // A runbook short of approvals cannot be planned: say so before the click.
  const revisionTarget = releaseId === null ? null : { kind: 'runbook' as const, releaseId };
  const revisionBlock = useRevisionBlock(revisionTarget);
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
      title={t('deployments:planTitle')}
      size="lg"
      className={contrast.contrast}
    >
      <Stack gap="sm">
        <Select
          label={t('deployments:planRelease')}
          description={t('deployments:planReleaseHint')}
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
          label={t('deployments:planStore')}
          searchable
          data={(stores.data ?? []).map((s) => ({
            value: s.id,
            label: `${s.name} (${t('deployments:terminalCount', { count: s.terminalCount })})`,
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
            label={t('deployments:planTerminals')}
            description={t('deployments:planTerminalsHint')}
            value={terminalIds}
            onChange={setTerminalIds}
          >
            <Group gap="md" mt={6}>
              {(terminals.data ?? []).map((term) => (
                <Checkbox
                  key={term.id}
                  value={term.id}
                  label={`${term.name} (${term.version ?? t('deployments:unknownVersion')})`}
                  data-testid={DEPLOYMENT_TEST_IDS.planTerminal}
                  data-terminal-id={term.id}
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
            title={t('deployments:refusalTitle')}
            data-testid={DEPLOYMENT_TEST_IDS.planError}
          >
            <Text size="sm">{plan.error.message}</Text>
          </Alert>
        )}
        <RevisionGateNote target={revisionTarget} />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('deployments:cancel')}
          </Button>
          <Button
            onClick={submit}
            disabled={releaseId === null || storeId === null || revisionBlock.reason !== null}
            title={revisionBlock.reason ?? undefined}
            loading={plan.isPending}
            data-testid={DEPLOYMENT_TEST_IDS.planSubmit}
          >
            {t('deployments:planSubmit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
