/**
 * "Ask for a change in advance": the store-level deviations a technician
 * knows about before the day (deploy outside the window, deploy a release not
 * yet approved for the store's ring), asked from the Change requests screen.
 * The span is typed on the store's clock and converted with the store's time
 * zone, so "10:00" is ten on the store's wall whatever the console's zone.
 */
import { useState } from 'react';
import { Button, Group, Modal, Radio, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconFilePlus } from '@tabler/icons-react';
import { TZDate } from '@date-fns/tz';
import { type Deviation } from '#shared/deployments/changeRequests.ts';
import { useCan } from '../../api/permissions.ts';
import contrast from '../../components/contrast.module.css';
import { NotAllowedNote } from '../../components/NotAllowedNote.tsx';
import { TimeInput24 } from '../../components/TimeInput24.tsx';
import { storeTimeParts } from '../deployments/timeline/format.ts';
import { useReleaseList } from './queries.ts';
import { RequestChangeForm } from './RequestChangeButton.tsx';
import { CHANGE_REQUEST_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';

const ADVANCE_KINDS = ['deploy_outside_window', 'release_not_approved_for_ring'] as const;
type AdvanceKind = (typeof ADVANCE_KINDS)[number];
/** What is asked: the change request's own note and risk are the form below (RequestChangeForm). */
type AdvanceValues = {
  kind: AdvanceKind;
  releaseId: string | null;
  /** The store's calendar day and wall-clock times, as typed. */
  day: string;
  from: string;
  until: string;
};

const DAY_MS = 24 * 3_600_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^(\d{2}):(\d{2})$/;

/**
 * The instants of a span typed on the store's clock: a day and two times.
 * An end at or before the start ends the next day (a night intervention).
 * Null while a field is empty or malformed.
 */
export function storeSpan(
  timeZone: string,
  day: string,
  from: string,
  until: string,
): { from: number; to: number } | null {
  const d = DAY_PATTERN.exec(day);
  const f = TIME_PATTERN.exec(from);
  const u = TIME_PATTERN.exec(until);
  if (d === null || f === null || u === null) return null;
  const [year, month, date] = [Number(d[1]), Number(d[2]) - 1, Number(d[3])];
  const start = new TZDate(year, month, date, Number(f[1]), Number(f[2]), timeZone).getTime();
  const endsNextDay = u[0] <= f[0];
  const end = new TZDate(
    year,
    month,
    date + (endsNextDay ? 1 : 0),
    Number(u[1]),
    Number(u[2]),
    timeZone,
  ).getTime();
  return Number.isNaN(start) || Number.isNaN(end) ? null : { from: start, to: end };
}

export function NewChangeRequestButton(props: { storeId: string; timezone: string }) {
  const [isOpen, setIsOpen] = useState(false);
  const canRequest = useCan('changeRequests:request');
  return (
    <>
      <Button
        leftSection={<IconFilePlus size={16} />}
        variant="light"
        onClick={() => setIsOpen(true)}
        disabled={!canRequest.allowed}
        data-testid={CHANGE_REQUEST_TEST_IDS.newRequest}
      >
        {t('changeRequests:newRequest')}
      </Button>
      <NotAllowedNote permission={canRequest} />
      {isOpen && (
        <NewChangeRequestModal
          storeId={props.storeId}
          timezone={props.timezone}
          onClose={() => setIsOpen(false)}
        />
      )}
    </>
  );
}

function NewChangeRequestModal(props: { storeId: string; timezone: string; onClose: () => void }) {
  const releases = useReleaseList();
  // Tomorrow on the store's clock, read once when the modal opens: requests in advance are for the coming days.
  const [tomorrow] = useState(() => storeTimeParts(Date.now() + DAY_MS, props.timezone).date);
  const form = useForm<AdvanceValues>({
    initialValues: {
      kind: 'deploy_outside_window',
      releaseId: null,
      day: tomorrow,
      from: '10:00',
      until: '12:00',
    },
  });
  const { kind, releaseId, day, from, until } = form.values;
  const span = storeSpan(props.timezone, day, from, until);
  const deviation: Deviation | null =
    releaseId === null
      ? null
      : kind === 'release_not_approved_for_ring'
        ? { kind, storeId: props.storeId, releaseId }
        : span === null
          ? null
          : { kind, storeId: props.storeId, releaseId, ...span };
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={t('changeRequests:newTitle')}
      size="lg"
      className={contrast.contrast}
      closeButtonProps={{ 'aria-label': t('changeRequests:close') }}
      data-testid={CHANGE_REQUEST_TEST_IDS.requestModal}
    >
      <RequestChangeForm deviation={deviation} onClose={props.onClose}>
        <Text size="sm">{t('changeRequests:newExplain')}</Text>
        {/* Radios, not a segmented control: the long labels wrap instead of being cut off. */}
        <Radio.Group
          label={t('changeRequests:kindLabel')}
          value={kind}
          onChange={(value) => form.setFieldValue('kind', value)}
          data-testid={CHANGE_REQUEST_TEST_IDS.newKind}
        >
          <Stack gap={6} mt={4}>
            {ADVANCE_KINDS.map((k) => (
              <Radio key={k} value={k} label={t(`domain:deviation.${k}`)} data-kind={k} />
            ))}
          </Stack>
        </Radio.Group>
        <Select
          label={t('changeRequests:releaseLabel')}
          placeholder={t('changeRequests:releasePlaceholder')}
          data={(releases.data ?? []).map((r) => ({
            value: r.id,
            label: `${r.version} — ${r.title}`,
          }))}
          value={releaseId}
          onChange={(value) => form.setFieldValue('releaseId', value)}
          searchable
          disabled={releases.isPending}
          error={releases.isError ? releases.error.message : undefined}
          data-testid={CHANGE_REQUEST_TEST_IDS.newRelease}
        />
        {kind === 'deploy_outside_window' && (
          <Group gap="sm" align="flex-end">
            <TextInput
              type="date"
              label={t('changeRequests:dayLabel')}
              {...form.getInputProps('day')}
              data-testid={CHANGE_REQUEST_TEST_IDS.newDay}
            />
            <TimeInput24
              label={t('changeRequests:fromLabel')}
              value={from}
              onChange={(value) => form.setFieldValue('from', value)}
              testId={CHANGE_REQUEST_TEST_IDS.newFrom}
            />
            <TimeInput24
              label={t('changeRequests:untilLabel')}
              value={until}
              onChange={(value) => form.setFieldValue('until', value)}
              testId={CHANGE_REQUEST_TEST_IDS.newUntil}
            />
            {TIME_PATTERN.test(from) && TIME_PATTERN.test(until) && until <= from && (
              <Text size="xs" c="dimmed" pb={8}>
                {t('changeRequests:untilNextDay')}
              </Text>
            )}
          </Group>
        )}
      </RequestChangeForm>
    </Modal>
  );
}
