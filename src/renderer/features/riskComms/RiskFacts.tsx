/** One risk's facts in a line or two: likelihood, impact, owner, then mitigation and contingency. */
import { Badge, Group, Stack, Text } from '@mantine/core';
import type { CatalogReleaseRisk, RiskLevel } from '#shared/releases/risks.ts';
import { t } from '../../i18n/index.ts';

const LEVEL_COLOR: Record<RiskLevel, string> = { low: 'gray', medium: 'yellow', high: 'red' };

function RiskLevels(props: Pick<CatalogReleaseRisk, 'likelihood' | 'impact' | 'owner'>) {
  return (
    <Group gap={6} wrap="wrap">
      <Badge size="sm" variant="light" color={LEVEL_COLOR[props.likelihood]}>
        {t('riskComms:likelihood')}: {t(`riskComms:level.${props.likelihood}`)}
      </Badge>
      <Badge size="sm" variant="light" color={LEVEL_COLOR[props.impact]}>
        {t('riskComms:impact')}: {t(`riskComms:level.${props.impact}`)}
      </Badge>
      <Text size="xs" c="dimmed">
        {t('riskComms:owner')}: {props.owner}
      </Text>
    </Group>
  );
}

export function RiskFacts(props: { risk: CatalogReleaseRisk }) {
  const { risk } = props;
  return (
    <Stack gap={2}>
      <RiskLevels likelihood={risk.likelihood} impact={risk.impact} owner={risk.owner} />
      <Text size="xs">
        <Text span fw={600} size="xs">
          {t('riskComms:mitigation')}:
        </Text>{' '}
        {risk.mitigation}
      </Text>
      <Text size="xs">
        <Text span fw={600} size="xs">
          {t('riskComms:contingency')}:
        </Text>{' '}
        {risk.contingency}
        {risk.rollbackStepId !== null && (
          <Text span size="xs" c="dimmed">
            {' '}
            ({t('riskComms:rollbackStep', { step: risk.rollbackStepId })})
          </Text>
        )}
      </Text>
    </Stack>
  );
}
