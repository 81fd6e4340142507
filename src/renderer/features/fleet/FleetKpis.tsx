import { Group, Paper, Text, Tooltip } from '@mantine/core';
import type { FleetMatrix } from '#shared/contract/index.ts';
import { DRIFT_COLOR } from '../../components/colors.ts';
import { formatCount } from '../../components/format.ts';
import { TEST_IDS } from '../../testIds.ts';
import { t } from '../../i18n/index.ts';

function Kpi(props: {
  label: string;
  value: string;
  hint?: string;
  color?: string;
  testId: string;
  sub?: string;
}) {
  const body = (
    <Paper withBorder px="md" py={8} radius="md" miw={140}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {props.label}
      </Text>
      <Group gap={8} align="baseline">
        <Text fz={24} fw={700} c={props.color} data-testid={props.testId} lh={1.2}>
          {props.value}
        </Text>
        {props.sub && (
          <Text size="xs" c="dimmed">
            {props.sub}
          </Text>
        )}
      </Group>
    </Paper>
  );
  return props.hint ? <Tooltip label={props.hint}>{body}</Tooltip> : body;
}

export function FleetKpis(props: { totals: FleetMatrix['totals'] }) {
  const { terminals, drift, stores } = props.totals;
  const onTarget =
    terminals === 0 ? '—' : `${Math.round(((terminals - drift) / terminals) * 100)}%`;
  return (
    <Group gap="sm">
      <Kpi
        label={t('fleet:kpiTerminals')}
        value={formatCount(terminals)}
        testId={TEST_IDS.kpiTerminals}
      />
      <Kpi
        label={t('fleet:kpiDrift')}
        value={formatCount(drift)}
        // The drift orange darkened to 4.5:1 on white (contrast.module.css); the palette's orange is 2.6:1.
        color={drift > 0 ? `var(--contrast-warning-text, ${DRIFT_COLOR})` : undefined}
        hint={t('fleet:kpiDriftHint')}
        sub={t('fleet:kpiOnTarget', { pct: onTarget })}
        testId={TEST_IDS.kpiDrift}
      />
      <Kpi label={t('fleet:kpiStores')} value={formatCount(stores)} testId={TEST_IDS.kpiStores} />
    </Group>
  );
}
