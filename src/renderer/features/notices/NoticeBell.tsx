/**
 * The bell in the status bar: how many notices concern the signed-in person
 * and are unread, and the list (a no-go, a rollback, a blocker bug, a release
 * blocked, a change request or an intervention waiting, a release
 * communication for their role). Reading one records
 * a `notice.read` audit event. Shown on a console connected to a server only.
 */
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Indicator,
  Popover,
  ScrollArea,
  Stack,
  Text,
} from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NoticeView } from '#shared/contract/notices.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useSessionStatus } from '../../app/useSession.ts';
import { t } from '../../i18n/index.ts';
import { ageOf } from '../desk/text.ts';
import { NOTICE_TEST_IDS } from './testIds.ts';

/** Notices are asked for again this often while the console is open. */
const REFRESH_MS = 60_000;

function headline(n: NoticeView): string {
  return t(`notices:kind.${n.kind}`, {
    release: n.releaseId ?? t('notices:anyRelease'),
    minutes: n.minutes ?? 0,
  });
}

function NoticeItem({ notice, onRead }: { notice: NoticeView; onRead: () => void }) {
  return (
    <Stack gap={2} data-testid={NOTICE_TEST_IDS.item} data-kind={notice.kind}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm" fw={notice.isRead ? 400 : 700}>
          {headline(notice)}
        </Text>
        {notice.isRead ? (
          <Badge variant="light" color="gray" size="sm">
            {t('notices:read')}
          </Badge>
        ) : (
          <Button size="compact-xs" variant="light" onClick={onRead} style={{ flexShrink: 0 }}>
            {t('notices:markRead')}
          </Button>
        )}
      </Group>
      {notice.text && (
        // A release communication is the message itself: more of it is shown than of a reason.
        <Text size="xs" lineClamp={notice.kind === 'communication' ? 8 : 2}>
          {notice.text}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {ageOf(notice.at)}
      </Text>
    </Stack>
  );
}

export function NoticeBell() {
  const api = useApi();
  const client = useQueryClient();
  const status = useSessionStatus().data;
  const isShown = status?.session != null && status.isEnrolled;
  const list = useQuery({
    queryKey: ['notices', 'list', status?.session?.user.id ?? null],
    queryFn: () => api['notices:list']({}),
    enabled: isShown,
    refetchInterval: REFRESH_MS,
  });
  const markRead = useMutation({
    mutationFn: (noticeId: string) => api['notices:markRead']({ noticeId }),
    onSuccess: (next) =>
      client.setQueryData(['notices', 'list', status?.session?.user.id ?? null], next),
  });
  if (!isShown || !list.data) return null;
  const unread = list.data.unread;
  const label = unread > 0 ? t('notices:bellUnread', { count: unread }) : t('notices:bell');
  return (
    <Popover width={380} position="top-end" shadow="md" withArrow>
      <Popover.Target>
        <Indicator
          label={unread}
          size={16}
          color="red"
          disabled={unread === 0}
          data-testid={NOTICE_TEST_IDS.unread}
        >
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={label}
            title={label}
            data-testid={NOTICE_TEST_IDS.bell}
          >
            <IconBell size={18} />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown data-testid={NOTICE_TEST_IDS.list}>
        <Text fw={700} mb={6}>
          {t('notices:title')}
        </Text>
        {list.data.error && (
          <Text size="xs" c="orange.9" mb={6}>
            {t('notices:offline', { error: list.data.error })}
          </Text>
        )}
        {list.data.notices.length === 0 ? (
          <Text size="sm">{t('notices:empty')}</Text>
        ) : (
          <ScrollArea.Autosize mah={360}>
            <Stack gap="sm">
              {list.data.notices.map((n) => (
                <NoticeItem key={n.id} notice={n} onRead={() => markRead.mutate(n.id)} />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
