/**
 * Beside the go / no-go choices: why go is closed by the region's compliance
 * rules, naming each missing check, so a store manager sees at the button
 * what to sign first (the criteria list above says the same, among others).
 */
import { Alert, List } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import type { Criterion } from '#shared/decisions/verdict.ts';
import { t } from '../../i18n/index.ts';
import { criterionText } from '../decisions/criterionText.ts';
import { COMPLIANCE_TEST_IDS } from './testIds.ts';

export function ComplianceGate({ criteria }: { criteria: readonly Criterion[] }) {
  const unmet = criteria.filter((c) => c.kind === 'compliance_checks' && !c.isMet);
  if (unmet.length === 0) return null;
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconShieldCheck size={18} />}
      title={t('compliance:gateTitle')}
      data-testid={COMPLIANCE_TEST_IDS.gate}
    >
      <List size="sm">
        {unmet.map((c) => (
          <List.Item key={c.id}>{criterionText(c)}</List.Item>
        ))}
      </List>
    </Alert>
  );
}
