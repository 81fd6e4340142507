/** A manager waives an item on one terminal, with a reason that goes into the journal and the report. */
import { Modal, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { waiveItemInput } from '#shared/contract/checklists.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { NoteSection } from '../../components/forms/NoteSection.tsx';
import { FORM_ERROR, validateWith } from '../../components/forms/validateWith.ts';
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
  const toInput = (values: { reason: string }) => ({
    runId: props.runId,
    terminalId: props.terminalId,
    itemId: props.itemId,
    reason: values.reason.trim(),
  });
  const form = useForm({
    initialValues: { reason: '' },
    validate: validateWith(waiveItemInput, toInput, (path) =>
      path[0] === 'reason' ? 'reason' : null,
    ),
  });
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={`${t('checklists:waiveTitle')}: ${props.itemTitle} (${props.terminalName})`}
      size="lg"
      className={contrast.contrast}
    >
      <form
        noValidate
        onSubmit={form.onSubmit((values) =>
          waive.mutate(toInput(values), { onSuccess: props.onClose }),
        )}
      >
        <Stack gap="sm">
          <Text size="sm">{t('checklists:waiveExplain')}</Text>
          <NoteSection
            label={t('checklists:waiveReason')}
            placeholder={t('checklists:waivePlaceholder')}
            maxLength={1000}
            input={form.getInputProps('reason')}
            noteTestId={CHECKLIST_TEST_IDS.waiveReason}
            problem={form.errors[FORM_ERROR] ?? waive.error?.message}
            cancelLabel={t('checklists:cancel')}
            onCancel={props.onClose}
            submitLabel={t('checklists:waiveSubmit')}
            submitColor="yellow"
            submitTestId={CHECKLIST_TEST_IDS.waiveSubmit}
            isPending={waive.isPending}
          />
        </Stack>
      </form>
    </Modal>
  );
}
