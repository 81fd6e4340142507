/**
 * "Report a bug" on a failed checklist item: files a DRAFT bug report with
 * its context filled in by the back end, then shows what was filed so the
 * technician can confirm it carries the right terminal, answer and evidence.
 */
import { useState } from 'react';
import {
  Alert,
  Button,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconBug, IconCircleCheck } from '@tabler/icons-react';
import type { BugReport, BugSeverity } from '#shared/feedback/types.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useChecklistMutation } from '../checklists/queries.ts';
import { CHECKLIST_TEST_IDS } from '../checklists/testIds.ts';
import { FEEDBACK_TEST_IDS } from './testIds.ts';
import contrast from '../../components/contrast.module.css';
import { t } from '../../i18n/index.ts';

const SEVERITY_ORDER: BugSeverity[] = ['blocker', 'major', 'minor'];

export function BugReportModal(props: {
  runId: string;
  terminalId: string;
  itemId: string;
  itemTitle: string;
  onClose: () => void;
}) {
  const api = useApi();
  const draft = useChecklistMutation(api['feedback:draftBugReport']);
  const [severity, setSeverity] = useState<BugSeverity>('major');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const filed = draft.data;

  return (
    <Modal
      opened
      onClose={props.onClose}
      title={filed ? t('feedback:filed') : `${t('feedback:title')}: ${props.itemTitle}`}
      size="lg"
      className={contrast.contrast}
    >
      {filed ? (
        <FiledReport report={filed} onClose={props.onClose} />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            draft.mutate({
              runId: props.runId,
              terminalId: props.terminalId,
              itemId: props.itemId,
              severity,
              ...(title.trim() ? { title: title.trim() } : {}),
              ...(description.trim() ? { description: description.trim() } : {}),
            });
          }}
        >
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('feedback:explain')}
            </Text>
            <Select
              label={t('feedback:severity')}
              data={SEVERITY_ORDER.map((s) => ({ value: s, label: t(`feedback:severities.${s}`) }))}
              value={severity}
              onChange={(value) => value && setSeverity(value)}
              allowDeselect={false}
              data-testid={CHECKLIST_TEST_IDS.bugSeverity}
            />
            <TextInput
              label={t('feedback:titleLabel')}
              description={t('feedback:titleHint')}
              placeholder={props.itemTitle}
              value={title}
              maxLength={200}
              onChange={(e) => setTitle(e.currentTarget.value)}
              data-testid={CHECKLIST_TEST_IDS.bugTitle}
            />
            <Textarea
              label={t('feedback:description')}
              placeholder={t('feedback:descriptionPlaceholder')}
              value={description}
              maxLength={4000}
              autosize
              minRows={3}
              onChange={(e) => setDescription(e.currentTarget.value)}
            />
            {draft.error && (
              <Alert color="red" variant="light">
                {draft.error.message}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>
                {t('feedback:cancel')}
              </Button>
              <Button
                type="submit"
                color="red"
                leftSection={<IconBug size={14} />}
                loading={draft.isPending}
                data-testid={CHECKLIST_TEST_IDS.bugSubmit}
              >
                {t('feedback:submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function FiledReport(props: { report: BugReport; onClose: () => void }) {
  const r = props.report;
  const rows: Array<[string, string]> = [
    [t('feedback:status'), `${r.status} · ${r.severity}`],
    [t('feedback:release'), r.releaseVersion],
    [t('feedback:store'), r.storeName],
    [t('feedback:terminal'), r.terminalName],
    [t('feedback:item'), `${r.templateName}: ${r.itemTitle}`],
    [t('feedback:answer'), r.answerText],
    [t('feedback:evidence'), t('feedback:evidenceCount', { count: r.evidence.length })],
  ];
  return (
    <Stack gap="sm" data-testid={CHECKLIST_TEST_IDS.bugDrafted} data-bug-id={r.id}>
      <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} title={r.title}>
        {r.description}
      </Alert>
      <Text size="sm" fw={600}>
        {t('feedback:context')}
      </Text>
      <Table fz="sm" verticalSpacing={4} withRowBorders={false}>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Td c="dimmed" w={110}>
                {label}
              </Table.Td>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <DraftDecision report={r} onClose={props.onClose} />
    </Stack>
  );
}

/** A draft is not left lying around: its author sends it to the support desk or discards it. */
function DraftDecision(props: { report: BugReport; onClose: () => void }) {
  const api = useApi();
  const send = useChecklistMutation(api['feedback:sendDraft']);
  const discard = useChecklistMutation(api['feedback:discardDraft']);
  const decided = send.data ?? discard.data;
  const error = send.error ?? discard.error;
  return (
    <Stack gap="xs">
      {decided && (
        <Text size="sm" c="dimmed">
          {decided.status === 'discarded'
            ? t('feedback:draft.discardedNote')
            : t('feedback:draft.sentNote')}
        </Text>
      )}
      {error && (
        <Alert color="red" variant="light">
          {error.message}
        </Alert>
      )}
      <Group justify="flex-end">
        {!decided && (
          <>
            <Button
              variant="default"
              loading={discard.isPending}
              onClick={() => discard.mutate({ reportId: props.report.id })}
              data-testid={FEEDBACK_TEST_IDS.draftDiscard}
            >
              {t('feedback:draft.discard')}
            </Button>
            <Button
              color="red"
              loading={send.isPending}
              onClick={() => send.mutate({ reportId: props.report.id })}
              data-testid={FEEDBACK_TEST_IDS.draftSend}
            >
              {t('feedback:draft.send')}
            </Button>
          </>
        )}
        <Button variant={decided ? 'filled' : 'subtle'} onClick={props.onClose}>
          {t('feedback:close')}
        </Button>
      </Group>
    </Stack>
  );
}
