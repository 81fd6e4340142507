/** A release's verdict as a badge: green healthy, orange watch, red act. */
import { Badge } from '@mantine/core';
import type { HealthVerdict } from '#shared/kpis/verdict.ts';
import { t } from '../../i18n/index.ts';

const COLOR: Record<HealthVerdict, string> = { healthy: 'teal', watch: 'orange', act: 'red' };

export function VerdictBadge({
  verdict,
  size = 'lg',
}: {
  verdict: HealthVerdict;
  size?: 'sm' | 'lg';
}) {
  return (
    <Badge color={COLOR[verdict]} variant="filled" size={size}>
      {t(`health:verdict.${verdict}`)}
    </Badge>
  );
}
