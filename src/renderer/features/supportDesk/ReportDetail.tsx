/**
 * One bug report at the desk: what the store wrote, the attachments, the
 * breadcrumbs as a timeline and the console log excerpt it came with, the
 * checklist item it was raised from, the comments both ways, and the triage
 * actions. Each action names the person signed in here and is recorded in
 * the central log by the server, which also checks the role and the scope.
 */
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Code,
  Divider,
  Drawer,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TriageAction } from '#shared/feedback/deskProtocol.ts';
import {
  REPORT_KINDS,
  TRIAGE_REPORT_STATUSES,
  TRIAGE_SEVERITIES,
} from '#shared/feedback/triage.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { t } from '../../i18n/index.ts';
import { ageOf } from '../desk/text.ts';
import { severityColor, statusColor, statusWords } from './labels.ts';
import { ReportAttachments } from './ReportAttachments.tsx';
import classes from './SupportDeskScreen.module.css';
import { SUPPORT_DESK_TEST_IDS } from './testIds.ts';

type Breadcrumb = { seq: number; at: string; type: string };

function useTriage(reportId: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: TriageAction) => api['supportDesk:act']({ action }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['desk'] }),
    meta: { reportId },
  });
}

function TriageForm({ reportId, severity }: { reportId: string; severity: string }) {
  const triage = useTriage(reportId);
  const [sev, setSev] = useState<string | null>(
    (TRIAGE_SEVERITIES as readonly string[]).includes(severity) ? severity : null,
  );
  const [kind, setKind] = useState<string | null>(null);
  const [assignee, setAssignee] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [fixedIn, setFixedIn] = useState('');
  const [duplicateOf, setDuplicateOf] = useState('');
  const [comment, setComment] = useState('');
  const [visibility, setVisibility] = useState<'store' | 'internal'>('store');
  const [mergeInto, setMergeInto] = useState('');
  const send = (action: TriageAction) => triage.mutate(action);
  return (
    <Stack gap="xs">
      <Title order={3}>{t('supportDesk:triage.title')}</Title>
      <Group gap="xs" align="flex-end">
        <Select
          label={t('supportDesk:triage.severity')}
          data={[...TRIAGE_SEVERITIES]}
          value={sev}
          onChange={setSev}
          w={90}
          data-testid={SUPPORT_DESK_TEST_IDS.triageSeverity}
        />
        <Select
          label={t('supportDesk:triage.kind')}
          data={REPORT_KINDS.map((k) => ({ value: k, label: t(`supportDesk:kinds.${k}`) }))}
          value={kind}
          onChange={setKind}
          clearable
          w={130}
        />
        <TextInput
          label={t('supportDesk:triage.assignee')}
          value={assignee}
          onChange={(e) => setAssignee(e.currentTarget.value)}
          w={170}
          data-testid={SUPPORT_DESK_TEST_IDS.triageAssignee}
        />
        <TextInput
          label={t('supportDesk:triage.dueDate')}
          value={dueDate}
          onChange={(e) => setDueDate(e.currentTarget.value)}
          w={160}
        />
        <Button
          onClick={() =>
            send({
              type: 'feedback.report.triaged',
              payload: {
                reportId,
                ...(sev ? { severity: sev as (typeof TRIAGE_SEVERITIES)[number] } : {}),
                ...(kind ? { kind: kind as (typeof REPORT_KINDS)[number] } : {}),
                ...(assignee.trim() ? { assignee: assignee.trim() } : {}),
                ...(dueDate.trim() ? { dueDate: dueDate.trim() } : {}),
              },
            })
          }
          loading={triage.isPending}
          data-testid={SUPPORT_DESK_TEST_IDS.triageApply}
        >
          {t('supportDesk:triage.apply')}
        </Button>
      </Group>
      <Group gap="xs" align="flex-end">
        <Select
          label={t('supportDesk:triage.status')}
          data={TRIAGE_REPORT_STATUSES.map((s) => ({ value: s, label: statusWords(s) }))}
          value={status}
          onChange={setStatus}
          w={170}
          data-testid={SUPPORT_DESK_TEST_IDS.status}
        />
        {status === 'fixed' && (
          <TextInput
            label={t('supportDesk:triage.fixedIn')}
            value={fixedIn}
            onChange={(e) => setFixedIn(e.currentTarget.value)}
            w={170}
            data-testid={SUPPORT_DESK_TEST_IDS.fixedIn}
          />
        )}
        {status === 'duplicate' && (
          <TextInput
            label={t('supportDesk:triage.duplicateOf')}
            value={duplicateOf}
            onChange={(e) => setDuplicateOf(e.currentTarget.value)}
            w={170}
          />
        )}
        <Button
          variant="light"
          disabled={status === null}
          loading={triage.isPending}
          data-testid={SUPPORT_DESK_TEST_IDS.setStatus}
          onClick={() =>
            send({
              type: 'feedback.report.status_set',
              payload: {
                reportId,
                status: status as (typeof TRIAGE_REPORT_STATUSES)[number],
                ...(status === 'fixed' ? { fixedIn: fixedIn.trim() } : {}),
                ...(status === 'duplicate' ? { duplicateOf: duplicateOf.trim() } : {}),
              },
            })
          }
        >
          {t('supportDesk:triage.setStatus')}
        </Button>
      </Group>
      <Textarea
        label={t('supportDesk:triage.comment')}
        value={comment}
        onChange={(e) => setComment(e.currentTarget.value)}
        autosize
        minRows={2}
        data-testid={SUPPORT_DESK_TEST_IDS.comment}
      />
      <Group gap="xs">
        <SegmentedControl
          value={visibility}
          onChange={(v) => setVisibility(v === 'internal' ? 'internal' : 'store')}
          data={[
            { value: 'store', label: t('supportDesk:triage.toStore') },
            { value: 'internal', label: t('supportDesk:triage.internal') },
          ]}
        />
        <Button
          variant="light"
          disabled={comment.trim() === ''}
          loading={triage.isPending}
          data-testid={SUPPORT_DESK_TEST_IDS.sendComment}
          onClick={() => {
            send({
              type: 'feedback.comment.added',
              payload: { targetId: reportId, visibility, text: comment.trim() },
            });
            setComment('');
          }}
        >
          {t('supportDesk:triage.send')}
        </Button>
      </Group>
      <Group gap="xs" align="flex-end">
        <TextInput
          label={t('supportDesk:triage.mergeInto')}
          value={mergeInto}
          onChange={(e) => setMergeInto(e.currentTarget.value)}
          w={200}
        />
        <Button
          variant="default"
          disabled={mergeInto.trim() === ''}
          onClick={() =>
            send({ type: 'feedback.report.merged', payload: { reportId, into: mergeInto.trim() } })
          }
        >
          {t('supportDesk:triage.merge')}
        </Button>
      </Group>
      {triage.isError && <ErrorState error={triage.error} />}
      {triage.isSuccess && (
        <Text size="sm" c="teal">
          {t('supportDesk:triage.done')}
        </Text>
      )}
    </Stack>
  );
}

export function ReportDetailDrawer({
  reportId,
  actingUser,
  onClose,
}: {
  reportId: string | null;
  actingUser: string | null;
  onClose: () => void;
}) {
  const api = useApi();
  const detail = useQuery({
    queryKey: ['desk', 'supportReport', reportId],
    queryFn: () => api['supportDesk:report']({ id: reportId! }),
    enabled: reportId !== null,
    // Stores answer through the central log, not this console: read again on every opening.
    staleTime: 0,
  });
  const d = detail.data;
  const context = d?.context ?? null;
  const breadcrumbs = (context?.['breadcrumbs'] as Breadcrumb[] | undefined) ?? [];
  const logTail = (context?.['logTail'] as string[] | undefined) ?? [];
  return (
    <Drawer
      opened={reportId !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={reportId ? t('supportDesk:detail.title', { id: reportId }) : ''}
    >
      <Stack data-testid={SUPPORT_DESK_TEST_IDS.detail} gap="sm">
        {detail.isPending && <LoadingRows rows={6} />}
        {detail.isError && (
          <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />
        )}
        {d && (
          <>
            <Title order={2} size="h3">
              {d.report.title}
            </Title>
            <Group gap="xs">
              <Badge color={statusColor(d.report.status)} variant="light">
                {statusWords(d.report.status)}
              </Badge>
              <Badge color={severityColor(d.report.severity)} variant="light">
                {d.report.severity}
              </Badge>
              <Text size="xs" c="dimmed">
                {t('supportDesk:detail.suggested', { severity: d.report.severitySuggested })}
              </Text>
              {d.report.fixedIn && (
                <Badge color="teal" variant="outline">
                  {t('supportDesk:detail.fixedIn', { release: d.report.fixedIn })}
                </Badge>
              )}
              {d.report.duplicateOf && (
                <Badge variant="outline">
                  {t('supportDesk:detail.duplicateOf', { id: d.report.duplicateOf })}
                </Badge>
              )}
            </Group>
            <Text size="sm" c="dimmed">
              {`${d.report.storeName} (${d.report.storeId}) · ${d.report.reportedBy} · ${ageOf(d.report.reportedAt)}`}
            </Text>
            <Title order={3}>{t('supportDesk:detail.happened')}</Title>
            <Text size="sm">{d.report.description}</Text>
            {d.report.expected && (
              <>
                <Title order={3}>{t('supportDesk:detail.expected')}</Title>
                <Text size="sm">{d.report.expected}</Text>
              </>
            )}
            <Title order={3}>{t('supportDesk:detail.attachments')}</Title>
            <ReportAttachments reportId={d.report.id} attachments={d.attachments} />
            <Title order={3}>{t('supportDesk:detail.linked')}</Title>
            <Text size="sm">
              {d.report.runId
                ? t('supportDesk:detail.linkedRun', {
                    run: d.report.runId,
                    item: d.report.itemId ?? '—',
                  })
                : t('supportDesk:detail.noLink', { screen: d.report.screen ?? '—' })}
            </Text>
            {breadcrumbs.length > 0 && (
              <>
                <Title order={3}>{t('supportDesk:detail.breadcrumbs')}</Title>
                <Timeline bulletSize={12} lineWidth={2} active={breadcrumbs.length}>
                  {breadcrumbs.slice(-12).map((b) => (
                    <Timeline.Item key={b.seq} title={b.type}>
                      <Text size="xs" c="dimmed">
                        {`#${b.seq} · ${ageOf(b.at)}`}
                      </Text>
                    </Timeline.Item>
                  ))}
                </Timeline>
              </>
            )}
            {logTail.length > 0 && (
              <>
                <Title order={3}>{t('supportDesk:detail.logTail')}</Title>
                <Code block className={classes.log}>
                  {logTail.join('\n')}
                </Code>
              </>
            )}
            {d.duplicates.length > 0 && (
              <Text size="sm">
                {t('supportDesk:detail.duplicates', { ids: d.duplicates.join(', ') })}
              </Text>
            )}
            <Title order={3}>{t('supportDesk:detail.comments')}</Title>
            {d.comments.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('supportDesk:detail.noComments')}
              </Text>
            ) : (
              d.comments.map((c) => (
                <Alert
                  key={c.id}
                  color={c.visibility === 'internal' ? 'gray' : 'blue'}
                  variant="light"
                  title={`${c.author} · ${ageOf(c.at)}${c.visibility === 'internal' ? ` · ${t('supportDesk:detail.internal')}` : ''}`}
                >
                  {c.text}
                </Alert>
              ))
            )}
            <Divider />
            {actingUser && (
              <Text size="xs" c="dimmed">
                {t('supportDesk:triage.actingAs', { user: actingUser })}
              </Text>
            )}
            <TriageForm reportId={d.report.id} severity={d.report.severity} />
          </>
        )}
      </Stack>
    </Drawer>
  );
}
