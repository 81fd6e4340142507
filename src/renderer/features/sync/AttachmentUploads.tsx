/**
 * Attachments on the Sync screen: the large file the resumable upload is
 * sending right now, with how much of it the central server holds, and the
 * files the server refused for good, each with its reason, so a report
 * never waits in silence for a file that will not arrive.
 */
import { Alert, Paper, Progress, Stack, Table, Text } from '@mantine/core';
import { IconFileAlert, IconUpload } from '@tabler/icons-react';
import type { SyncStatus } from '#shared/contract/index.ts';
import type { RefusedAttachment, UploadProgress } from '#shared/sync/status.ts';
import { formatCount, formatDateTime } from '../../components/format.ts';
import { formatNumber } from '../../i18n/format.ts';
import { t } from '../../i18n/index.ts';
import { SYNC_TEST_IDS } from './testIds.ts';

const MB = 1024 * 1024;

function megabytes(bytes: number): string {
  return formatNumber(Math.round((bytes / MB) * 10) / 10);
}

/** Both parts, from a status alone (no back-end calls); nothing when there is neither. */
export function AttachmentUploads(props: { status: SyncStatus }) {
  const { upload, refusedAttachments } = props.status;
  return (
    <>
      {upload && <UploadInProgress upload={upload} />}
      {refusedAttachments && refusedAttachments.length > 0 && (
        <RefusedAttachments refused={refusedAttachments} />
      )}
    </>
  );
}

function UploadInProgress(props: { upload: UploadProgress }) {
  const { upload } = props;
  const percent =
    upload.totalBytes > 0 ? Math.floor((upload.sentBytes / upload.totalBytes) * 100) : 0;
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      data-testid={SYNC_TEST_IDS.upload}
      data-sent={upload.sentBytes}
      data-total={upload.totalBytes}
    >
      <Stack gap={6}>
        <Text size="sm" fw={600}>
          <IconUpload size={14} style={{ verticalAlign: -2, marginRight: 6 }} />
          {t('sync:attachments.uploading', { name: upload.name })}
        </Text>
        <Progress
          value={percent}
          size="lg"
          striped
          animated
          aria-label={t('sync:attachments.uploading', { name: upload.name })}
        />
        <Text size="sm">
          {t('sync:attachments.uploaded', {
            sent: megabytes(upload.sentBytes),
            total: megabytes(upload.totalBytes),
          })}
        </Text>
        <Text size="xs" c="dimmed">
          {t('sync:attachments.resumes')}
        </Text>
      </Stack>
    </Paper>
  );
}

function RefusedAttachments(props: { refused: RefusedAttachment[] }) {
  const n = props.refused.length;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconFileAlert size={20} />}
      title={t('sync:attachments.refusedTitle', { count: n, n: formatCount(n) })}
      data-testid={SYNC_TEST_IDS.refusedAttachments}
    >
      <Stack gap="xs">
        <Text size="sm">{t('sync:attachments.refusedIntro')}</Text>
        <Table striped withTableBorder fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sync:attachments.file')}</Table.Th>
              <Table.Th>{t('sync:attachments.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {props.refused.map((r) => (
              <Table.Tr
                key={r.sha256}
                data-testid={SYNC_TEST_IDS.refusedAttachmentRow}
                data-code={r.code}
              >
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {r.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(r.refusedAt)}
                  </Text>
                </Table.Td>
                <Table.Td>{r.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Alert>
  );
}
