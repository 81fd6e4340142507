/** The risks a signed decision reviewed, on its printed record: each open risk and that it was acknowledged. */
import type { DecisionRisks } from '#shared/releases/risks.ts';
import { t } from '../../i18n/index.ts';
import classes from '../reports/Report.module.css';
import { RISK_COMMS_TEST_IDS } from './testIds.ts';

export function RiskRecord(props: { risks: DecisionRisks | null }) {
  const open = props.risks?.open ?? [];
  const acknowledged = new Set(props.risks?.acknowledged ?? []);
  return (
    <div className={classes.section} data-testid={RISK_COMMS_TEST_IDS.riskRecord}>
      <h2>{t('riskComms:recordTitle')}</h2>
      {open.length === 0 ? (
        <p>{t('riskComms:recordNone')}</p>
      ) : (
        <table className={classes.table}>
          <thead>
            <tr>
              <th>{t('riskComms:risksTitle')}</th>
              <th>{t('riskComms:likelihood')}</th>
              <th>{t('riskComms:impact')}</th>
              <th>{t('riskComms:owner')}</th>
              <th>{t('riskComms:recordAcknowledgedHead')}</th>
            </tr>
          </thead>
          <tbody>
            {open.map((risk) => (
              <tr key={risk.id} data-risk={risk.id}>
                <td>{risk.title}</td>
                <td>{t(`riskComms:level.${risk.likelihood}`)}</td>
                <td>{t(`riskComms:level.${risk.impact}`)}</td>
                <td>{risk.owner}</td>
                <td className={acknowledged.has(risk.id) ? classes.pass : classes.fail}>
                  {acknowledged.has(risk.id) ? t('riskComms:recordAcknowledged') : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
