/**
 * The release desk's view of a release's communication plan: who is told
 * what and when, and for each ring when it is due (from the release plan as
 * it is now) or when it was sent. Compact: one row per communication.
 */
import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { CommsWhen, DeskCommunication } from '#shared/releases/commsPlan.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { RingBadge } from '../../components/Badges.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { t } from '../../i18n/index.ts';
import { RISK_COMMS_TEST_IDS } from './testIds.ts';

function whenInWords(when: CommsWhen): string {
  if (when.anchor === 'instant')
    return t('riskComms:comms.whenInstant', { at: formatDateTime(when.at) });
  const ring = when.ring ?? t('riskComms:comms.eachRing');
  const count = Math.abs(when.offsetDays);
  const side = when.offsetDays < 0 ? 'before' : when.offsetDays > 0 ? 'after' : 'on';
  const edge = when.anchor === 'ring_start' ? 'Start' : 'End';
  const day = t(`riskComms:comms.${side}${edge}`, { count, ring });
  return when.time ? t('riskComms:comms.atTime', { day, time: when.time }) : day;
}

function Sendings({ communication }: { communication: DeskCommunication }) {
  return (
    <Stack gap={2}>
      {communication.sendings.map((s) => (
        <Group
          key={s.ring ?? '*'}
          gap={6}
          wrap="nowrap"
          data-testid={RISK_COMMS_TEST_IDS.commsSending}
          data-ring={s.ring ?? 'all'}
          data-status={s.sentAt ? 'sent' : s.dueAt ? 'scheduled' : 'unplanned'}
        >
          {s.ring ? (
            <RingBadge ring={s.ring} />
          ) : (
            <Text size="xs">{t('riskComms:comms.allStores')}</Text>
          )}
          {s.sentAt ? (
            <Badge size="xs" color="green" variant="light">
              {t('riskComms:comms.sent', { at: formatDateTime(s.sentAt) })}
            </Badge>
          ) : s.dueAt ? (
            <Badge size="xs" color="gray" variant="outline">
              {t('riskComms:comms.scheduled', { at: formatDateTime(s.dueAt) })}
            </Badge>
          ) : (
            <Badge size="xs" color="orange" variant="outline">
              {t('riskComms:comms.unplanned')}
            </Badge>
          )}
        </Group>
      ))}
    </Stack>
  );
}

export function DeskCommsPlan({ releaseId }: { releaseId: string }) {
  const api = useApi();
  const plan = useQuery({
    queryKey: ['desk', 'commsPlan', releaseId],
    queryFn: () => api['releaseDesk:commsPlan']({ releaseId }),
  });
  return (
    <Paper withBorder p="sm" data-testid={RISK_COMMS_TEST_IDS.deskComms}>
      <Title order={2} size="h4" mb="xs">
        {t('riskComms:comms.title')}
      </Title>
      {plan.isPending && <LoadingRows rows={2} />}
      {plan.isError && <ErrorState error={plan.error} onRetry={() => void plan.refetch()} />}
      {plan.data?.communications.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('riskComms:comms.none')}
        </Text>
      )}
      {plan.data && plan.data.communications.length > 0 && (
        <Table striped withTableBorder verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('riskComms:comms.audience')}</Table.Th>
              <Table.Th>{t('riskComms:comms.when')}</Table.Th>
              <Table.Th>{t('riskComms:comms.message')}</Table.Th>
              <Table.Th>{t('riskComms:comms.perRing')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.data.communications.map((c) => (
              <Table.Tr key={c.id} data-communication={c.id}>
                <Table.Td>
                  <Group gap={4}>
                    {c.roles.map((r) => (
                      <Badge key={r} size="xs" variant="light">
                        {t(`domain:role.${r}`)}
                      </Badge>
                    ))}
                    {c.webhook && (
                      <Badge size="xs" variant="outline" color="grape">
                        {t('riskComms:comms.webhook')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{whenInWords(c.when)}</Text>
                </Table.Td>
                <Table.Td maw={360}>
                  <Text size="sm" lineClamp={2} title={c.message}>
                    {c.message}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Sendings communication={c} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
