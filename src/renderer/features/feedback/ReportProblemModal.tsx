/**
 * The report form: one form for every problem, opened from the status bar,
 * Ctrl/Cmd+Shift+B, the desktop menu or a failed checklist item. Every
 * attachment (the screenshot taken when it opened, photos and files, crash
 * reports, the console's context) is shown and can be removed before
 * sending. Sending stages the files, then records one report; offline it
 * waits in the sync queue like every other record.
 */
import { useState } from 'react';
import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Code,
  FileButton,
  Group,
  Image,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Spoiler,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconBug, IconCircleCheck, IconFile, IconPaperclip, IconX } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { REPORT_SEVERITIES, type ReportSeverity } from '#shared/feedback/types.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { formatDateTime } from '../../components/format.ts';
import { useStores } from '../checklists/queries.ts';
import { useAppStore, type ReportAttachmentDraft, type ReportRequest } from '../../state/store.ts';
import { draftOfBytes, stageAttachment } from './openReport.ts';
import { FEEDBACK_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';

const MAX_ATTACHMENTS = 10;
const MAX_BYTES = 25 * 1024 * 1024;

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

type Values = {
  title: string;
  happened: string;
  expected: string;
  severity: ReportSeverity;
  storeId: string | null;
  terminalId: string | null;
};

export function ReportProblemModal(props: { request: ReportRequest }) {
  const { request } = props;
  const close = useAppStore((s) => s.closeReport);
  const workStoreId = useAppStore((s) => s.workStoreId);
  const api = useApi();
  const stores = useStores();
  const [attachments, setAttachments] = useState<ReportAttachmentDraft[]>(
    request.screenshot ? [request.screenshot] : [],
  );
  const [attachError, setAttachError] = useState<string | null>(null);
  const [includeBreadcrumbs, setIncludeBreadcrumbs] = useState(true);
  const [includeLog, setIncludeLog] = useState(true);
  const [untickedDumps, setUntickedDumps] = useState<Set<string>>(new Set());

  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      // Raised from a failed checklist item: its title is where the person starts.
      title: request.itemTitle ?? '',
      happened: '',
      expected: '',
      severity: 'S3',
      storeId: workStoreId,
      terminalId: request.terminalId ?? null,
    },
    validate: {
      title: (v) => (v.trim().length < 3 ? t('feedback:form.titlePlaceholder') : null),
      happened: (v) => (v.trim().length < 1 ? t('feedback:form.happenedPlaceholder') : null),
    },
  });
  const values = form.getValues();
  // One store on this console (an enrolled store console): it is the store.
  const onlyStore = stores.data?.length === 1 ? stores.data[0]!.id : null;
  const storeId = values.storeId ?? onlyStore;
  const terminalId = values.terminalId;
  const subject = {
    ...(request.runId !== undefined ? { runId: request.runId } : {}),
    ...(terminalId !== null ? { terminalId } : {}),
    ...(storeId !== null && terminalId === null && request.runId === undefined ? { storeId } : {}),
  };
  const selection = {
    ...(request.terminalId !== undefined ? { terminalId: request.terminalId } : {}),
    ...(request.runId !== undefined ? { runId: request.runId } : {}),
    ...(request.itemId !== undefined ? { itemId: request.itemId } : {}),
    ...(request.deploymentId !== undefined ? { deploymentId: request.deploymentId } : {}),
  };
  const context = useQuery({
    queryKey: ['feedback', 'previewContext', subject, selection, includeBreadcrumbs, includeLog],
    queryFn: () =>
      api['feedback:previewContext']({ ...subject, selection, includeBreadcrumbs, includeLog }),
    retry: false,
  });
  const dumps = useQuery({
    queryKey: ['feedback', 'crashDumps'],
    queryFn: () => api['shell:listCrashDumps']({}),
  });
  const send = useMutation({
    mutationFn: async (values: Values) => {
      const staged = [];
      for (const a of attachments) {
        const sha256 = a.sha256 ?? (await stageAttachment(api, a.bytes!));
        staged.push({ sha256, name: a.name, mime: a.mime, kind: a.kind });
      }
      return api['feedback:fileBugReport']({
        ...subject,
        ...(request.itemId !== undefined ? { itemId: request.itemId } : {}),
        selection,
        includeBreadcrumbs,
        includeLog,
        title: values.title.trim(),
        happened: values.happened.trim(),
        expected: values.expected.trim(),
        severitySuggestion: values.severity,
        screen: request.screen.slice(0, 200),
        attachments: staged,
        crashDumps: (dumps.data?.dumps ?? [])
          .map((d) => d.name)
          .filter((name) => !untickedDumps.has(name)),
      });
    },
  });

  function addFiles(files: File[]) {
    setAttachError(null);
    void (async () => {
      const added: ReportAttachmentDraft[] = [];
      for (const file of files) {
        if (attachments.length + added.length >= MAX_ATTACHMENTS) {
          setAttachError(t('feedback:form.tooMany'));
          break;
        }
        if (file.size > MAX_BYTES) {
          setAttachError(t('feedback:form.tooLarge', { name: file.name }));
          continue;
        }
        const bytes = new Uint8Array(await file.arrayBuffer());
        const mime = file.type || 'application/octet-stream';
        added.push(
          draftOfBytes(bytes, {
            name: file.name.slice(0, 200),
            mime,
            kind: mime.startsWith('image/') ? 'photo' : 'file',
          }),
        );
      }
      setAttachments((current) => [...current, ...added]);
    })();
  }

  const terminals = context.data?.terminals ?? [];
  const filed = send.data;

  return (
    <Modal
      opened
      onClose={close}
      title={filed ? t('feedback:form.sent') : t('feedback:form.title')}
      size={880}
      data-testid={FEEDBACK_TEST_IDS.form}
    >
      {filed ? (
        <Stack gap="sm" data-testid={FEEDBACK_TEST_IDS.sent} data-report-id={filed.id}>
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />}>
            {t('feedback:form.sentBody')}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close}>{t('feedback:form.close')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit((values) => send.mutate(values))}>
          <Text size="sm" c="dimmed" mb="sm">
            {t('feedback:form.explain')}
          </Text>
          {request.itemTitle !== undefined && (
            <Alert
              color="blue"
              variant="light"
              mb="sm"
              p="xs"
              data-testid={FEEDBACK_TEST_IDS.itemLink}
              data-item-id={request.itemId}
            >
              {t('feedback:form.aboutItem', { item: request.itemTitle })}
            </Alert>
          )}
          <SimpleGrid cols={2} spacing="lg">
            <Stack gap="sm">
              <TextInput
                label={t('feedback:form.titleLabel')}
                placeholder={t('feedback:form.titlePlaceholder')}
                maxLength={200}
                withAsterisk
                data-autofocus
                data-testid={FEEDBACK_TEST_IDS.title}
                key={form.key('title')}
                {...form.getInputProps('title')}
              />
              <Textarea
                label={t('feedback:form.happened')}
                placeholder={t('feedback:form.happenedPlaceholder')}
                maxLength={4000}
                autosize
                minRows={3}
                withAsterisk
                data-testid={FEEDBACK_TEST_IDS.happened}
                key={form.key('happened')}
                {...form.getInputProps('happened')}
              />
              <Textarea
                label={t('feedback:form.expected')}
                placeholder={t('feedback:form.expectedPlaceholder')}
                maxLength={4000}
                autosize
                minRows={2}
                data-testid={FEEDBACK_TEST_IDS.expected}
                key={form.key('expected')}
                {...form.getInputProps('expected')}
              />
              <Stack gap={4}>
                <Text size="sm" fw={500} id="report-severity-label">
                  {t('feedback:form.severity')}
                </Text>
                <SegmentedControl
                  aria-labelledby="report-severity-label"
                  fullWidth
                  size="xs"
                  data={REPORT_SEVERITIES.map((s) => ({ value: s, label: s }))}
                  data-testid={FEEDBACK_TEST_IDS.severity}
                  key={form.key('severity')}
                  {...form.getInputProps('severity')}
                />
                <Text size="xs" c="dimmed">
                  {t(`feedback:form.severities.${form.getValues().severity}`)}
                </Text>
              </Stack>
              {request.runId === undefined && (
                <Group grow align="flex-start">
                  <Select
                    label={t('feedback:form.store')}
                    placeholder={t('feedback:form.storePlaceholder')}
                    data={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
                    searchable
                    data-testid={FEEDBACK_TEST_IDS.store}
                    key={form.key('storeId')}
                    {...form.getInputProps('storeId')}
                    value={storeId}
                    onChange={(value: string | null) => {
                      form.setFieldValue('storeId', value);
                      form.setFieldValue('terminalId', null);
                    }}
                  />
                  <Select
                    label={t('feedback:form.terminal')}
                    placeholder={t('feedback:form.terminalPlaceholder')}
                    data={terminals.map((x) => ({
                      value: x.terminalId,
                      label: `${x.name}${x.version ? ` · ${x.version}` : ''}`,
                    }))}
                    clearable
                    data-testid={FEEDBACK_TEST_IDS.terminal}
                    key={form.key('terminalId')}
                    {...form.getInputProps('terminalId')}
                  />
                </Group>
              )}
            </Stack>
            <Stack gap="sm">
              <Text size="sm" fw={600}>
                {t('feedback:form.attachments')}
              </Text>
              {request.isCaptureFailed && (
                <Text size="xs" c="dimmed">
                  {t('feedback:form.captureFailed')}
                </Text>
              )}
              {attachments.length === 0 && (
                <Text size="xs" c="dimmed">
                  {t('feedback:form.noAttachments')}
                </Text>
              )}
              {attachments.map((a) => (
                <Paper
                  key={a.key}
                  withBorder
                  p={6}
                  data-testid={FEEDBACK_TEST_IDS.attachment}
                  data-kind={a.kind}
                >
                  <Group gap="xs" wrap="nowrap">
                    {a.previewUrl ? (
                      <Image
                        src={a.previewUrl}
                        alt={a.name}
                        w={96}
                        h={56}
                        fit="cover"
                        radius="xs"
                      />
                    ) : (
                      <IconFile size={28} aria-hidden />
                    )}
                    <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
                      <Text size="sm" truncate>
                        {a.kind === 'screenshot' ? t('feedback:form.screenshot') : a.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {formatSize(a.size)}
                      </Text>
                    </Stack>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      aria-label={t('feedback:form.remove', { name: a.name })}
                      data-testid={FEEDBACK_TEST_IDS.removeAttachment}
                      onClick={() => setAttachments((all) => all.filter((x) => x.key !== a.key))}
                    >
                      <IconX size={16} />
                    </ActionIcon>
                  </Group>
                </Paper>
              ))}
              <FileButton onChange={addFiles} multiple>
                {(p) => (
                  <Button
                    {...p}
                    variant="default"
                    size="xs"
                    leftSection={<IconPaperclip size={14} />}
                    disabled={attachments.length >= MAX_ATTACHMENTS}
                    data-testid={FEEDBACK_TEST_IDS.addFiles}
                  >
                    {t('feedback:form.addFiles')}
                  </Button>
                )}
              </FileButton>
              {attachError && (
                <Text size="xs" c="red">
                  {attachError}
                </Text>
              )}
              {(dumps.data?.dumps.length ?? 0) > 0 && (
                <Stack gap={4}>
                  <Text size="sm" fw={600}>
                    {t('feedback:form.crashDumps')}
                  </Text>
                  {dumps.data!.dumps.map((d) => (
                    <Checkbox
                      key={d.name}
                      size="xs"
                      label={t('feedback:form.crashDump', {
                        at: formatDateTime(d.modifiedAt),
                        size: formatSize(d.bytes),
                      })}
                      checked={!untickedDumps.has(d.name)}
                      data-testid={FEEDBACK_TEST_IDS.crashDump}
                      onChange={(e) => {
                        const next = new Set(untickedDumps);
                        if (e.currentTarget.checked) next.delete(d.name);
                        else next.add(d.name);
                        setUntickedDumps(next);
                      }}
                    />
                  ))}
                </Stack>
              )}
              <Text size="sm" fw={600}>
                {t('feedback:form.context')}
              </Text>
              {context.data && (
                <Text size="xs" c="dimmed">
                  {t('feedback:form.contextSummary', {
                    version: context.data.appVersion,
                    terminals: context.data.terminals.length,
                    flags: context.data.featureFlags.length,
                  })}
                </Text>
              )}
              <Checkbox
                size="xs"
                label={t('feedback:form.breadcrumbs', {
                  count: context.data?.breadcrumbs.length || 50,
                })}
                checked={includeBreadcrumbs}
                onChange={(e) => setIncludeBreadcrumbs(e.currentTarget.checked)}
                data-testid={FEEDBACK_TEST_IDS.includeBreadcrumbs}
              />
              <Checkbox
                size="xs"
                label={t('feedback:form.logLines', { count: context.data?.logTail.length || 100 })}
                checked={includeLog}
                onChange={(e) => setIncludeLog(e.currentTarget.checked)}
                data-testid={FEEDBACK_TEST_IDS.includeLog}
              />
              {context.data && (
                <Spoiler
                  maxHeight={0}
                  showLabel={t('feedback:form.showContext')}
                  hideLabel={t('feedback:form.showContext')}
                >
                  <Code
                    block
                    fz={10}
                    mah={160}
                    style={{ overflow: 'auto' }}
                    // Focusable, so the context can be scrolled and read with the keyboard.
                    tabIndex={0}
                    aria-label={t('feedback:form.showContext')}
                    data-testid={FEEDBACK_TEST_IDS.contextDetails}
                  >
                    {JSON.stringify(context.data, null, 1)}
                  </Code>
                </Spoiler>
              )}
              {context.isError && (
                <Text size="xs" c="red">
                  {context.error.message}
                </Text>
              )}
            </Stack>
          </SimpleGrid>
          {send.error && (
            <Alert color="red" variant="light" mt="sm">
              {send.error.message}
            </Alert>
          )}
          <Group justify="flex-end" mt="md">
            <Button variant="default" onClick={close}>
              {t('feedback:form.cancel')}
            </Button>
            <Button
              type="submit"
              color="red"
              leftSection={<IconBug size={14} />}
              loading={send.isPending}
              data-testid={FEEDBACK_TEST_IDS.submit}
            >
              {t('feedback:form.submit')}
            </Button>
          </Group>
        </form>
      )}
    </Modal>
  );
}
