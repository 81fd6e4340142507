/** A go / no-go criterion's reason in the console's language, from its code and the values it names. */
import type { Criterion } from '#shared/decisions/verdict.ts';
import { t } from '../../i18n/index.ts';

export function criterionText(criterion: Pick<Criterion, 'reasonWords'>): string {
  const { code, params } = criterion.reasonWords;
  return t(`decisions:criterionReason.${code}`, params);
}
