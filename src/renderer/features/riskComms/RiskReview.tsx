/**
 * The release's open risks on the go / no-go screen: the manager reads each
 * one and ticks it; the ticked ones go with the signed decision, and the
 * verdict's risk criterion is judged with them.
 */
import { Checkbox, Paper, Stack, Text, Title } from '@mantine/core';
import type { CatalogReleaseRisk } from '#shared/releases/risks.ts';
import { t } from '../../i18n/index.ts';
import { RiskFacts } from './RiskFacts.tsx';
import { RISK_COMMS_TEST_IDS } from './testIds.ts';

export function RiskReview(props: {
  risks: readonly CatalogReleaseRisk[];
  acknowledged: readonly string[];
  onChange: (ids: string[]) => void;
}) {
  if (props.risks.length === 0) return null;
  const toggle = (id: string, isTicked: boolean) =>
    props.onChange(
      isTicked ? [...props.acknowledged, id] : props.acknowledged.filter((x) => x !== id),
    );
  return (
    <Paper withBorder radius="md" p="sm" mb="sm" data-testid={RISK_COMMS_TEST_IDS.riskReview}>
      <Title order={3} size="h4">
        {t('riskComms:risksTitle')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('riskComms:risksHint')}
      </Text>
      <Stack gap="sm">
        {props.risks.map((risk) => (
          <Stack key={risk.id} gap={4}>
            <Text size="sm" fw={600}>
              {risk.title}
            </Text>
            <RiskFacts risk={risk} />
            <Checkbox
              size="sm"
              label={t('riskComms:acknowledge')}
              aria-label={`${t('riskComms:acknowledge')}: ${risk.title}`}
              checked={props.acknowledged.includes(risk.id)}
              onChange={(e) => toggle(risk.id, e.currentTarget.checked)}
              data-testid={RISK_COMMS_TEST_IDS.riskAcknowledge}
              data-risk={risk.id}
            />
          </Stack>
        ))}
      </Stack>
    </Paper>
  );
}
