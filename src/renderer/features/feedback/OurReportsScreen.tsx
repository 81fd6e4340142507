/**
 * "Our reports": the store's bug reports and feature requests with their
 * status, severity, the release a fix ships in and the support desk's
 * comments; the store answers when the desk needs information. Read from the
 * console's own tables, so it works offline; a reply waits in the sync queue.
 */
import { useState } from 'react';
import { Badge, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconBulb } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FeedbackComment, OurBugReport } from '#shared/feedback/types.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useCan } from '../../api/permissions.ts';
import { formatDateTime } from '../../components/format.ts';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { AttachmentProblems } from './AttachmentProblems.tsx';
import { useAppStore } from '../../state/store.ts';
import { FEEDBACK_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';

const OUR_REPORTS_KEY = ['feedback', 'ourReports'] as const;

const STATUS_COLOR: Record<string, string> = {
  new: 'blue',
  triaged: 'indigo',
  in_progress: 'violet',
  needs_info: 'orange',
  fixed: 'teal',
  wont_fix: 'gray',
  duplicate: 'gray',
  draft: 'yellow',
  open: 'blue',
  under_review: 'indigo',
  planned: 'violet',
  shipped: 'teal',
  declined: 'gray',
  merged: 'gray',
};

function Comments(props: { comments: FeedbackComment[] }) {
  if (props.comments.length === 0) return null;
  return (
    <Stack gap={4}>
      {props.comments.map((c) => (
        <Paper
          key={c.id}
          bg="var(--mantine-color-default-hover)"
          p={6}
          data-testid={FEEDBACK_TEST_IDS.comment}
        >
          <Text size="xs" c="dimmed">
            {c.isFromStore ? t('feedback:ours.you') : t('feedback:ours.desk')} · {c.author} ·{' '}
            {formatDateTime(c.at)}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {c.text}
          </Text>
        </Paper>
      ))}
    </Stack>
  );
}

function Reply(props: { reportId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const can = useCan('feedback:reply');
  const [text, setText] = useState('');
  const reply = useMutation({
    mutationFn: () => api['feedback:reply']({ reportId: props.reportId, text: text.trim() }),
    onSuccess: (value) => {
      queryClient.setQueryData(OUR_REPORTS_KEY, value);
      setText('');
    },
  });
  if (!can.allowed) return null;
  return (
    <Group align="flex-end" gap="xs">
      <Textarea
        label={t('feedback:ours.reply')}
        placeholder={t('feedback:ours.replyPlaceholder')}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        autosize
        minRows={1}
        maxLength={4000}
        style={{ flex: 1 }}
        error={reply.error?.message}
        data-testid={FEEDBACK_TEST_IDS.replyText}
      />
      <Button
        disabled={text.trim().length === 0}
        loading={reply.isPending}
        onClick={() => reply.mutate()}
        data-testid={FEEDBACK_TEST_IDS.replySend}
      >
        {t('feedback:ours.send')}
      </Button>
    </Group>
  );
}

function ReportCard(props: { report: OurBugReport }) {
  const r = props.report;
  return (
    <Paper withBorder p="sm" data-testid={FEEDBACK_TEST_IDS.ourReport} data-status={r.status}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={0}>
            <Text fw={600}>{r.title}</Text>
            <Text size="xs" c="dimmed">
              {[
                t('feedback:ours.reported', { at: formatDateTime(r.reportedAt) }),
                r.terminalName,
                r.fixedIn ? t('feedback:ours.fixedIn', { version: r.fixedIn }) : null,
                r.duplicateOf ? t('feedback:ours.duplicateOf') : null,
              ]
                .filter((x) => x)
                .join(' · ')}
            </Text>
          </Stack>
          <Group gap={6} wrap="nowrap">
            <Badge
              variant="light"
              color="gray"
              title={r.isSeverityTriaged ? t('feedback:ours.triaged') : undefined}
            >
              {r.severity}
            </Badge>
            <Badge variant="light" color={STATUS_COLOR[r.status] ?? 'gray'}>
              {t(`feedback:ours.status.${r.status}`)}
            </Badge>
          </Group>
        </Group>
        {r.status === 'needs_info' && (
          <Text size="sm" c="orange.8" fw={500}>
            {t('feedback:ours.needsInfo')}
          </Text>
        )}
        <AttachmentProblems problems={r.attachmentProblems} />
        <Comments comments={r.comments} />
        {r.status === 'needs_info' && <Reply reportId={r.id} />}
      </Stack>
    </Paper>
  );
}

export function OurReportsScreen() {
  const api = useApi();
  const setRequestOpen = useAppStore((s) => s.setFeatureRequestOpen);
  const canRequest = useCan('feedback:fileFeatureRequest');
  const data = useQuery({
    queryKey: OUR_REPORTS_KEY,
    queryFn: () => api['feedback:ourReports']({}),
  });
  return (
    <Stack gap="md" maw={960}>
      <Stack gap={2}>
        <Title order={1}>{t('feedback:ours.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('feedback:ours.subtitle')}
        </Text>
      </Stack>
      {data.isPending && <LoadingRows rows={4} height={56} />}
      {data.isError && <ErrorState error={data.error} onRetry={() => void data.refetch()} />}
      {data.data &&
        ((value) => (
          <>
            <Title order={2} size="h4">
              {t('feedback:ours.bugs')}
            </Title>
            {value.reports.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('feedback:ours.noBugs')}
              </Text>
            ) : (
              value.reports.map((r) => <ReportCard key={r.id} report={r} />)
            )}
            <Group justify="space-between">
              <Title order={2} size="h4">
                {t('feedback:ours.requests')}
              </Title>
              {canRequest.allowed && (
                <Button
                  size="xs"
                  variant="light"
                  leftSection={<IconBulb size={14} />}
                  onClick={() => setRequestOpen(true)}
                >
                  {t('feedback:ours.newRequest')}
                </Button>
              )}
            </Group>
            {value.requests.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('feedback:ours.noRequests')}
              </Text>
            ) : (
              value.requests.map((q) => (
                <Paper
                  key={q.id}
                  withBorder
                  p="sm"
                  data-testid={FEEDBACK_TEST_IDS.ourRequest}
                  data-status={q.status}
                  data-request-id={q.id}
                >
                  <Group justify="space-between" wrap="nowrap">
                    <Stack gap={0}>
                      <Text fw={600}>{q.title}</Text>
                      <Text size="xs" c="dimmed">
                        {[
                          q.isFiledByUs ? null : t('feedback:ours.votedOnly'),
                          t('feedback:ours.votes', { count: q.votes }),
                          q.plannedFor
                            ? t('feedback:ours.plannedFor', { version: q.plannedFor })
                            : null,
                        ]
                          .filter((x) => x)
                          .join(' · ')}
                      </Text>
                    </Stack>
                    <Badge variant="light" color={STATUS_COLOR[q.status] ?? 'gray'}>
                      {t(`feedback:ours.status.${q.status}`)}
                    </Badge>
                  </Group>
                  <Comments comments={q.comments} />
                </Paper>
              ))
            )}
          </>
        ))(data.data)}
    </Stack>
  );
}
