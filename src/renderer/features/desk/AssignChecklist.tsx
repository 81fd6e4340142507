/**
 * In a store's drill-down: the release desk assigns a checklist template (a
 * UAT, a compliance check) to the store with a due date. The central server
 * logs it naming the signed-in administrator and sends it to the store's
 * consoles with their next catalog pull.
 */
import { useState } from 'react';
import { Alert, Button, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext.tsx';
import { useCan } from '../../api/permissions.ts';
import { NotAllowedNote } from '../../components/NotAllowedNote.tsx';
import { formatDateTime } from '../../components/format.ts';
import { t } from '../../i18n/index.ts';
import { DESK_TEST_IDS } from './testIds.ts';

/** The end of the picked day in the desk's local time, as the server's UTC timestamp. */
function endOfDay(date: string): string {
  return new Date(`${date}T23:59:00`).toISOString().replace(/\.\d{3}Z$/, '.000Z');
}

function tomorrow(): string {
  const d = new Date(Date.now() + 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function AssignChecklist({ storeId, releaseId }: { storeId: string; releaseId: string }) {
  const api = useApi();
  const permission = useCan('desk:assignChecklist');
  const templates = useQuery({
    queryKey: ['checklists', 'templates', 'all'],
    queryFn: () => api['checklists:templates']({}),
  });
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [date, setDate] = useState(tomorrow);
  const [note, setNote] = useState('');
  const assign = useMutation({
    mutationFn: () =>
      api['desk:assignChecklist']({
        templateId: templateId!,
        releaseId,
        storeIds: [storeId],
        dueAt: endOfDay(date),
        note,
      }),
  });
  return (
    <Stack gap="xs" data-testid={DESK_TEST_IDS.assign}>
      <Title order={3}>{t('desk:assign.title')}</Title>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <Select
          label={t('desk:assign.template')}
          data={(templates.data?.templates ?? []).map((tpl) => ({
            value: tpl.id,
            label: tpl.name,
          }))}
          value={templateId}
          onChange={setTemplateId}
          w={220}
          data-testid={DESK_TEST_IDS.assignTemplate}
        />
        <TextInput
          type="date"
          label={t('desk:assign.dueDate')}
          value={date}
          onChange={(e) => setDate(e.currentTarget.value)}
          w={160}
        />
        <TextInput
          label={t('desk:assign.note')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          maxLength={500}
          w={220}
        />
        <Button
          onClick={() => assign.mutate()}
          loading={assign.isPending}
          disabled={!permission.allowed || templateId === null || date === ''}
          data-testid={DESK_TEST_IDS.assignSubmit}
        >
          {t('desk:assign.submit')}
        </Button>
        <NotAllowedNote permission={permission} />
      </Group>
      {assign.isError && <Alert color="red">{assign.error.message}</Alert>}
      {assign.isSuccess && (
        <Alert color="teal" data-testid={DESK_TEST_IDS.assigned}>
          {t('desk:assign.done', { when: formatDateTime(endOfDay(date)) })}
        </Alert>
      )}
    </Stack>
  );
}
