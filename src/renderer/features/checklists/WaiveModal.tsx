/** A manager waives an item on one terminal, with a reason that goes into the journal and the report. */
import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useApi } from '../../api/ApiContext.tsx';
import { useChecklistMutation } from './queries.ts';
import { CHECKLIST_TEST_IDS } from './testIds.ts';
import contrast from '../../components/contrast.module.css';
import { t } from '../../i18n/index.ts';

export function WaiveModal(props: {
  runId: string;
  terminalId: string;
  terminalName: string;
  itemId: string;
  itemTitle: string;
  onClose: () => void;
}) {
  const api = useApi();
  const waive = useChecklistMutation(api['checklists:waiveItem']);
  const [reason, setReason] = useState('');
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={`${t('checklists:waiveTitle')}: ${props.itemTitle} (${props.terminalName})`}
      size="lg"
      className={contrast.contrast}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          waive.mutate(
            {
              runId: props.runId,
              terminalId: props.terminalId,
              itemId: props.itemId,
              reason: reason.trim(),
            },
            { onSuccess: props.onClose },
          );
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('checklists:waiveExplain')}</Text>
          <Textarea
            label={t('checklists:waiveReason')}
            placeholder={t('checklists:waivePlaceholder')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            minRows={3}
            autosize
            maxLength={1000}
            required
            data-autofocus
            data-testid={CHECKLIST_TEST_IDS.waiveReason}
          />
          {waive.error && (
            <Alert color="red" variant="light">
              {waive.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('checklists:cancel')}
            </Button>
            <Button
              type="submit"
              color="yellow"
              disabled={reason.trim().length < 3}
              loading={waive.isPending}
              data-testid={CHECKLIST_TEST_IDS.waiveSubmit}
            >
              {t('checklists:waiveSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
