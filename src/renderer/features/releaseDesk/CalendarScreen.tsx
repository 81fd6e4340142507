/**
 * The release desk's calendar: a month of plans against what happened per
 * release and ring, the freezes and deployment windows of the stores in
 * scope and, for one store, its trading hours day by day (store time, so a
 * clock-change night shows as a shorter or longer day). Two views of the same
 * read: a month grid (arrow keys move between days, a day lists what is on
 * it) and lists (rings with their drift from the plan; freezes and windows).
 */
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Grid,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { Calendar, DatesProvider } from '@mantine/dates';
import '@mantine/dates/styles.css';
import 'dayjs/locale/de';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { startDriftDays, type ReleaseCalendar } from '#shared/releases/calendar.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { formatDateTime } from '../../components/format.ts';
import { currentLanguage, t } from '../../i18n/index.ts';
import { ageOf } from '../desk/text.ts';
import { itemsByDay, monthOf, shiftMonth, type DayItem, type DayItemKind } from './calendarDays.ts';
import { DeskConnectionGate, DeskViews } from './DeskViews.tsx';
import { RELEASE_DESK_TEST_IDS } from './testIds.ts';

/** A day cell shows this many entries; the day's own list shows them all. */
const SHOWN_PER_DAY = 2;

const RING_COLUMNS = [
  'release',
  'ring',
  'planned',
  'targetMoved',
  'drift',
  'firstGo',
  'lastGo',
  'goStores',
] as const;
const WINDOW_COLUMNS = ['kind', 'name', 'from', 'to', 'stores'] as const;

const KIND_COLOR: Record<DayItemKind, string> = {
  planned: 'blue',
  target: 'cyan',
  firstGo: 'teal',
  lastGo: 'teal',
  freeze: 'red',
  window: 'violet',
  trading: 'gray',
};

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function monthLabel(day: string): string {
  return new Intl.DateTimeFormat(currentLanguage(), {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));
}

function dayLabel(day: string): string {
  return new Intl.DateTimeFormat(currentLanguage(), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));
}

/** Store-local wall-clock text as the desk reads it: "2026-12-02 22:00". */
function localText(text: string): string {
  return text.replace('T', ' ');
}

/** An entry in words: in full for the day's list, short for a month cell (the legend says what each colour is). */
function itemText(item: DayItem, isShort = false): string {
  const words = isShort ? 'short' : 'kinds';
  switch (item.kind) {
    case 'planned':
    case 'target':
    case 'firstGo':
    case 'lastGo':
      return t(`calendar:${words}.${item.kind}`, {
        version: item.version,
        ring: t(`releaseDesk:rings.${item.ring}`),
      });
    case 'freeze':
      return t(`calendar:${words}.freeze`, { name: item.name });
    case 'window':
      return t(`calendar:${words}.window`, { version: item.version });
    case 'trading':
      if (item.open === null || item.close === null) return t(`calendar:${words}.closed`);
      return item.minutes === hoursOf(item.open, item.close)
        ? t(`calendar:${words}.trading`, { open: item.open, close: item.close })
        : t(`calendar:${words}.tradingClockChange`, {
            open: item.open,
            close: item.close,
            hours: Math.round(item.minutes / 6) / 10,
          });
  }
}

/** Minutes between two clock times on a day without a clock change (closing at or before opening runs past midnight). */
function hoursOf(open: string, close: string): number {
  const [oh, om] = open.split(':').map(Number) as [number, number];
  const [ch, cm] = close.split(':').map(Number) as [number, number];
  const minutes = ch * 60 + cm - (oh * 60 + om);
  return minutes > 0 ? minutes : minutes + 24 * 60;
}

function ItemLine(props: { item: DayItem; compact?: boolean }) {
  const color = KIND_COLOR[props.item.kind];
  return (
    <Group gap={6} wrap="nowrap" data-kind={props.item.kind}>
      <Box
        w={8}
        h={8}
        style={{ borderRadius: 8, flex: 'none', background: `var(--mantine-color-${color}-6)` }}
      />
      <Text size={props.compact ? 'xs' : 'sm'} truncate={props.compact ? 'end' : undefined}>
        {itemText(props.item, props.compact)}
      </Text>
    </Group>
  );
}

const LEGEND = [
  ['planned', 'planned'],
  ['target', 'target'],
  ['go', 'firstGo'],
  ['freeze', 'freeze'],
  ['window', 'window'],
  ['trading', 'trading'],
] as const;

function Legend() {
  return (
    <Group gap="md" aria-label={t('calendar:legendLabel')} role="group">
      {LEGEND.map(([label, kind]) => (
        <Group key={label} gap={6} wrap="nowrap">
          <Box
            w={10}
            h={10}
            style={{ borderRadius: 10, background: `var(--mantine-color-${KIND_COLOR[kind]}-6)` }}
          />
          <Text size="xs">{t(`calendar:legend.${label}`)}</Text>
        </Group>
      ))}
    </Group>
  );
}

function DayDetail(props: { day: string; items: DayItem[] }) {
  return (
    <Paper withBorder p="md" data-testid={RELEASE_DESK_TEST_IDS.calendarDay}>
      <Title order={3} size="h5" mb="xs">
        {t('calendar:dayTitle', { date: dayLabel(props.day) })}
      </Title>
      {props.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('calendar:dayEmpty')}
        </Text>
      ) : (
        <Stack gap={6}>
          {props.items.map((item, i) => (
            <Stack key={i} gap={0}>
              <ItemLine item={item} />
              {(item.kind === 'freeze' || item.kind === 'window') && (
                <Text size="xs" c="dimmed" pl={14}>
                  {t('calendar:range', {
                    from: localText(item.kind === 'freeze' ? item.from : item.start),
                    to: localText(item.kind === 'freeze' ? item.to : item.end),
                  })}
                  {' · '}
                  {t('calendar:stores', { count: item.stores })}
                </Text>
              )}
            </Stack>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function MonthView(props: {
  data: ReleaseCalendar;
  month: string;
  onMonth: (month: string) => void;
  day: string | null;
  onDay: (day: string) => void;
}) {
  const days = itemsByDay(props.data);
  const selected = props.day ?? props.month;
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <Box data-testid={RELEASE_DESK_TEST_IDS.calendarMonth}>
          <Calendar
            date={props.month}
            onDateChange={(d) => props.onMonth(d.slice(0, 8) + '01')}
            maxLevel="month"
            hideOutsideDates
            weekendDays={[]}
            fullWidth
            size="md"
            highlightToday
            styles={{
              calendarHeader: { display: 'none' },
              day: { height: 92, alignItems: 'flex-start', padding: 4 },
            }}
            getDayProps={(date) => ({
              selected: date === selected,
              onClick: () => props.onDay(date),
            })}
            getDayAriaLabel={(date) =>
              t('calendar:dayLabel', {
                date: dayLabel(date),
                count: (days.get(date) ?? []).length,
              })
            }
            renderDay={(date) => {
              const items = days.get(date) ?? [];
              return (
                <Stack gap={2} w="100%" align="stretch" style={{ overflow: 'hidden' }}>
                  <Text size="sm" fw={600} ta="left">
                    {Number(date.slice(8))}
                  </Text>
                  {items.slice(0, SHOWN_PER_DAY).map((item, i) => (
                    <ItemLine key={i} item={item} compact />
                  ))}
                  {items.length > SHOWN_PER_DAY && (
                    <Text size="xs" fw={600} ta="left">
                      {t('calendar:more', { n: items.length - SHOWN_PER_DAY })}
                    </Text>
                  )}
                </Stack>
              );
            }}
          />
        </Box>
        <Legend />
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        <DayDetail day={selected} items={days.get(selected) ?? []} />
      </Grid.Col>
    </Grid>
  );
}

function Drift(props: { days: number | null }) {
  if (props.days === null) return <>{t('common:dash')}</>;
  if (props.days === 0)
    return (
      <Badge color="teal" variant="light">
        {t('calendar:drift.onTime')}
      </Badge>
    );
  return props.days > 0 ? (
    <Badge color="orange" variant="light">
      {t('calendar:drift.late', { count: props.days })}
    </Badge>
  ) : (
    <Badge color="blue" variant="light">
      {t('calendar:drift.early', { count: -props.days })}
    </Badge>
  );
}

function ListView(props: { data: ReleaseCalendar; month: string }) {
  const { data } = props;
  const month = monthLabel(props.month);
  const dash = t('common:dash');
  return (
    <Stack gap="lg" data-testid={RELEASE_DESK_TEST_IDS.calendarList}>
      <section aria-labelledby="calendar-rings">
        <Title order={2} size="h4" id="calendar-rings" mb="xs">
          {t('calendar:ringsTitle')}
        </Title>
        {data.rings.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('calendar:ringsEmpty', { month })}
          </Text>
        ) : (
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                {RING_COLUMNS.map((c) => (
                  <Table.Th key={c}>{t(`calendar:columns.${c}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.rings.map((r) => (
                <Table.Tr key={`${r.releaseId}/${r.ring}`} data-ring={r.ring}>
                  <Table.Td>{r.version}</Table.Td>
                  <Table.Td>{t(`releaseDesk:rings.${r.ring}`)}</Table.Td>
                  <Table.Td>
                    {r.plannedStart !== null && r.plannedEnd !== null
                      ? t('calendar:range', { from: r.plannedStart, to: r.plannedEnd })
                      : dash}
                  </Table.Td>
                  <Table.Td>{formatDateTime(r.targetAt)}</Table.Td>
                  <Table.Td>
                    <Drift days={startDriftDays(r)} />
                  </Table.Td>
                  <Table.Td>{formatDateTime(r.firstGoAt)}</Table.Td>
                  <Table.Td>{formatDateTime(r.lastGoAt)}</Table.Td>
                  <Table.Td>
                    {t('calendar:goStores', { go: r.goStores, stores: r.stores })}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
      <section aria-labelledby="calendar-windows">
        <Title order={2} size="h4" id="calendar-windows" mb="xs">
          {t('calendar:windowsTitle')}
        </Title>
        {data.freezes.length + data.deploymentWindows.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('calendar:windowsEmpty', { month })}
          </Text>
        ) : (
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                {WINDOW_COLUMNS.map((c) => (
                  <Table.Th key={c}>{t(`calendar:columns.${c}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[
                ...data.freezes.map((f) => ({
                  key: `f/${f.name}/${f.from}`,
                  kind: 'freeze' as const,
                  name: f.name,
                  from: f.from,
                  to: f.to,
                  stores: f.stores,
                })),
                ...data.deploymentWindows.map((w) => ({
                  key: `w/${w.releaseId}/${w.start}/${w.end}`,
                  kind: 'window' as const,
                  name: t('calendar:windowName', { version: w.version }),
                  from: w.start,
                  to: w.end,
                  stores: w.stores,
                })),
              ]
                .sort((a, b) => a.from.localeCompare(b.from))
                .map((row) => (
                  <Table.Tr key={row.key} data-kind={row.kind}>
                    <Table.Td>
                      <Badge color={KIND_COLOR[row.kind]} variant="light">
                        {t(`calendar:${row.kind}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{row.name}</Table.Td>
                    <Table.Td>{localText(row.from)}</Table.Td>
                    <Table.Td>{localText(row.to)}</Table.Td>
                    <Table.Td>{row.stores}</Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
      {data.store && (
        <section aria-labelledby="calendar-trading">
          <Title order={2} size="h4" id="calendar-trading" mb="xs">
            {t('calendar:tradingTitle', { store: data.store.name, zone: data.store.timezone })}
          </Title>
          {!data.store.hasTradingHours ? (
            <Text size="sm" c="dimmed">
              {t('calendar:noTradingHours', { store: data.store.name })}
            </Text>
          ) : (
            <Table striped withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('calendar:columns.date')}</Table.Th>
                  <Table.Th>{t('calendar:columns.hours')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.store.tradingDays.map((d) => (
                  <Table.Tr key={d.date}>
                    <Table.Td>{dayLabel(d.date)}</Table.Td>
                    <Table.Td>{itemText({ kind: 'trading', ...d })}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </section>
      )}
    </Stack>
  );
}

function CalendarScreen() {
  const api = useApi();
  // The month lives in the address (?month=YYYY-MM): a link opens it, Back returns to the previous one.
  const [params, setParams] = useSearchParams();
  const asked = params.get('month');
  const month =
    asked !== null && /^\d{4}-(0[1-9]|1[0-2])$/.test(asked)
      ? `${asked}-01`
      : today().slice(0, 8) + '01';
  const [day, setDay] = useState<string | null>(null);
  const [view, setView] = useState<'month' | 'list'>('month');
  const [storeDraft, setStoreDraft] = useState('');
  const [storeId] = useDebouncedValue(storeDraft.trim(), 300);
  const range = monthOf(month);
  const calendar = useQuery({
    queryKey: ['desk', 'calendar', range.from, range.to, storeId],
    queryFn: () =>
      api['releaseDesk:calendar']({ ...range, ...(storeId === '' ? {} : { storeId }) }),
    placeholderData: keepPreviousData,
  });
  const goTo = (m: string) => {
    setParams({ month: m.slice(0, 7) });
    setDay(null);
  };
  const data = calendar.data;
  const isEmpty =
    data !== undefined &&
    data.rings.length + data.freezes.length + data.deploymentWindows.length === 0;
  return (
    <DatesProvider settings={{ locale: currentLanguage(), firstDayOfWeek: 1 }}>
      <Stack gap="sm" data-testid={RELEASE_DESK_TEST_IDS.calendarScreen}>
        <Group justify="space-between" align="flex-end">
          <Title order={1}>{t('calendar:title')}</Title>
          <DeskViews />
        </Group>
        <Group gap="sm" align="flex-end" justify="space-between">
          <Group gap="xs" align="center">
            <ActionIcon
              variant="default"
              size="lg"
              aria-label={t('calendar:previousMonth')}
              onClick={() => goTo(shiftMonth(month, -1))}
            >
              <IconChevronLeft size={18} />
            </ActionIcon>
            <Title order={2} size="h3" miw={180} ta="center" aria-live="polite">
              {monthLabel(month)}
            </Title>
            <ActionIcon
              variant="default"
              size="lg"
              aria-label={t('calendar:nextMonth')}
              onClick={() => goTo(shiftMonth(month, 1))}
            >
              <IconChevronRight size={18} />
            </ActionIcon>
            <Button variant="subtle" onClick={() => goTo(today().slice(0, 8) + '01')}>
              {t('calendar:today')}
            </Button>
          </Group>
          <Group gap="sm" align="flex-end">
            <TextInput
              label={t('calendar:store')}
              placeholder={t('calendar:storeHint')}
              value={storeDraft}
              onChange={(e) => setStoreDraft(e.currentTarget.value)}
              error={
                calendar.isError && storeId !== '' && calendar.error instanceof Error
                  ? calendar.error.message
                  : undefined
              }
              w={240}
            />
            <SegmentedControl
              aria-label={t('calendar:view')}
              value={view}
              onChange={(v) => setView(v === 'list' ? 'list' : 'month')}
              data={[
                { value: 'month', label: t('calendar:month') },
                { value: 'list', label: t('calendar:list') },
              ]}
            />
          </Group>
        </Group>
        {data && (
          <Text size="sm" c="dimmed">
            {t('releaseDesk:asOf', { ago: ageOf(data.asOf) })}
          </Text>
        )}
        {calendar.isPending && <LoadingRows rows={8} />}
        {calendar.isError && storeId === '' && (
          <ErrorState error={calendar.error} onRetry={() => void calendar.refetch()} />
        )}
        {isEmpty && (
          <Empty
            title={t('calendar:monthEmpty', { month: monthLabel(month) })}
            description={t('calendar:monthEmptyHint')}
          />
        )}
        {data &&
          (view === 'month' ? (
            <MonthView data={data} month={month} onMonth={goTo} day={day} onDay={setDay} />
          ) : (
            <ListView data={data} month={month} />
          ))}
      </Stack>
    </DatesProvider>
  );
}

/** The calendar behind the desk's connection check (a console not enrolled as a desk is told where to connect). */
export function ReleaseCalendarScreen() {
  return (
    <DeskConnectionGate title={t('calendar:title')}>
      <CalendarScreen />
    </DeskConnectionGate>
  );
}
