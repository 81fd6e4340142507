/**
 * A report's attachments at the desk: screenshots and photos shown as
 * images, every file listed with its size and a download. The bytes come
 * through the desk's own read of the report's attachments (the central
 * server serves only files the report cites, to a desk whose scope holds it).
 */
import { useEffect, useMemo } from 'react';
import { Button, Group, Image, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { ReportAttachmentFile, ReportDetail } from '#shared/feedback/deskProtocol.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { t } from '../../i18n/index.ts';
import { SUPPORT_DESK_TEST_IDS } from './testIds.ts';

type Attachment = ReportDetail['attachments'][number];

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function blobOf(file: ReportAttachmentFile): Blob {
  const text = atob(file.dataBase64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return new Blob([bytes], { type: file.mime });
}

/** An object URL for the file while it is shown, revoked after. */
function useObjectUrl(file: ReportAttachmentFile | undefined): string | null {
  const url = useMemo(() => (file ? URL.createObjectURL(blobOf(file)) : null), [file]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  return url;
}

const KINDS = ['screenshot', 'photo', 'file', 'crash_dump'] as const;

function kindOf(a: Attachment): (typeof KINDS)[number] {
  return (KINDS as readonly string[]).includes(a.kind)
    ? (a.kind as (typeof KINDS)[number])
    : 'file';
}

function isShownAsImage(a: Attachment): boolean {
  return a.mime.startsWith('image/') && (a.kind === 'screenshot' || a.kind === 'photo');
}

function ImageAttachment(props: { reportId: string; attachment: Attachment; label: string }) {
  const api = useApi();
  const { attachment: a } = props;
  const file = useQuery({
    queryKey: ['desk', 'supportAttachment', props.reportId, a.sha256],
    queryFn: () => api['supportDesk:attachment']({ reportId: props.reportId, sha256: a.sha256 }),
    // The bytes never change for a SHA-256.
    staleTime: Infinity,
  });
  const url = useObjectUrl(file.data);
  return (
    <Stack gap={4}>
      {url ? (
        <Image
          src={url}
          alt={props.label}
          radius="xs"
          fit="contain"
          mah={420}
          style={{ border: '1px solid var(--mantine-color-default-border)' }}
          data-testid={SUPPORT_DESK_TEST_IDS.attachmentImage}
          data-sha256={a.sha256}
        />
      ) : file.isError ? (
        <Text size="sm" c="red">
          {file.error.message}
        </Text>
      ) : (
        <Skeleton h={200} />
      )}
    </Stack>
  );
}

function DownloadButton(props: { reportId: string; attachment: Attachment }) {
  const api = useApi();
  const { attachment: a } = props;
  const download = useMutation({
    mutationFn: async () => {
      const file = await api['supportDesk:attachment']({
        reportId: props.reportId,
        sha256: a.sha256,
      });
      const url = URL.createObjectURL(blobOf(file));
      const link = document.createElement('a');
      link.href = url;
      link.download = file.name;
      link.click();
      // The click has handed the bytes over; the URL is no longer needed.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    },
  });
  return (
    <Button
      size="compact-xs"
      variant="default"
      leftSection={<IconDownload size={12} />}
      loading={download.isPending}
      onClick={() => download.mutate()}
      aria-label={t('supportDesk:detail.download', { name: a.name })}
      data-testid={SUPPORT_DESK_TEST_IDS.attachmentDownload}
    >
      {t('supportDesk:detail.downloadShort')}
    </Button>
  );
}

export function ReportAttachments(props: { reportId: string; attachments: Attachment[] }) {
  if (props.attachments.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('supportDesk:detail.noAttachments')}
      </Text>
    );
  return (
    <Stack gap="xs">
      {props.attachments.map((a) => {
        const kind = t(`supportDesk:detail.kind.${kindOf(a)}`);
        const label = `${kind}: ${a.name}`;
        return (
          <Paper
            key={a.sha256}
            withBorder
            p="xs"
            data-testid={SUPPORT_DESK_TEST_IDS.attachment}
            data-kind={a.kind}
          >
            <Stack gap={6}>
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Text size="sm" fw={500} truncate>
                    {kind}
                  </Text>
                  <Text size="xs" c="dimmed" truncate>
                    {`${a.name} · ${formatSize(a.size)} · ${a.sha256.slice(0, 12)}`}
                  </Text>
                </Stack>
                <DownloadButton reportId={props.reportId} attachment={a} />
              </Group>
              {isShownAsImage(a) && (
                <ImageAttachment reportId={props.reportId} attachment={a} label={label} />
              )}
            </Stack>
          </Paper>
        );
      })}
    </Stack>
  );
}
