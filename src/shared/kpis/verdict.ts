/**
 * The per-release health verdict, defined once: healthy, watch or act, with
 * the rule that produced it. Rules are tried in order, the first that holds
 * decides; the desk's health page and the store consoles show the same
 * verdict and rule.
 */
import { z } from 'zod';
import type { KpiSums } from './definitions.ts';
import { KPIS } from './definitions.ts';

export const VERDICTS = ['healthy', 'watch', 'act'] as const;
export type HealthVerdict = (typeof VERDICTS)[number];

export type OpenBugs = { blocker: number; major: number; minor: number };

export type HealthSignals = {
  /** This release's sums since it was published. */
  current: KpiSums;
  /** The previous release's sums at the same point of its rollout (null: no previous release). */
  previous: KpiSums | null;
  openBugs: OpenBugs;
};

/** A change failure rate at or above this, over at least MIN_CHANGES changes, needs action. */
const ACT_FAILURE_RATE = 0.3;
const MIN_CHANGES = 3;
/** Worse than the previous release at the same point by more than this (absolute ratio): watch. */
const WORSE_BY = 0.1;

export const HEALTH_RULES = [
  'open_blocker_bug',
  'change_failure_rate_high',
  'failure_rate_worse_than_previous',
  'first_time_pass_rate_worse_than_previous',
  'failure_recorded',
  'open_major_bug',
  'no_warning_signal',
] as const;
export type HealthRule = (typeof HEALTH_RULES)[number];

const HEALTH_RULE_TEXT: Record<HealthRule, string> = {
  open_blocker_bug: 'Act: at least one blocker bug report is open for this release.',
  change_failure_rate_high: `Act: the change failure rate is ${ACT_FAILURE_RATE * 100} % or more over at least ${MIN_CHANGES} changes.`,
  failure_rate_worse_than_previous: `Watch: the change failure rate is more than ${WORSE_BY * 100} points worse than the previous release at the same point of its rollout.`,
  first_time_pass_rate_worse_than_previous: `Watch: the first-time checklist pass rate is more than ${WORSE_BY * 100} points worse than the previous release at the same point of its rollout.`,
  failure_recorded: 'Watch: a rollback, an aborted deployment or a no-go was recorded.',
  open_major_bug: 'Watch: at least one major bug report is open for this release.',
  no_warning_signal: 'Healthy: no blocker or major bug open, no rollback, abort or no-go recorded.',
};

export type Verdict = { verdict: HealthVerdict; rule: HealthRule; explanation: string };

function rate(id: 'change_failure_rate' | 'first_time_pass_rate', s: KpiSums): number | null {
  const d = KPIS[id].denominator(s);
  return d === 0 ? null : KPIS[id].numerator(s) / d;
}

function verdictOf(rule: HealthRule): Verdict {
  const verdict: HealthVerdict =
    rule === 'open_blocker_bug' || rule === 'change_failure_rate_high'
      ? 'act'
      : rule === 'no_warning_signal'
        ? 'healthy'
        : 'watch';
  return { verdict, rule, explanation: HEALTH_RULE_TEXT[rule] };
}

export function healthVerdict(signals: HealthSignals): Verdict {
  const { current, previous, openBugs } = signals;
  if (openBugs.blocker > 0) return verdictOf('open_blocker_bug');
  const cfr = rate('change_failure_rate', current);
  const changes = KPIS.change_failure_rate.denominator(current);
  if (cfr !== null && changes >= MIN_CHANGES && cfr >= ACT_FAILURE_RATE)
    return verdictOf('change_failure_rate_high');
  if (previous !== null) {
    const before = rate('change_failure_rate', previous);
    if (cfr !== null && before !== null && cfr - before > WORSE_BY)
      return verdictOf('failure_rate_worse_than_previous');
    const ftp = rate('first_time_pass_rate', current);
    const ftpBefore = rate('first_time_pass_rate', previous);
    if (ftp !== null && ftpBefore !== null && ftpBefore - ftp > WORSE_BY)
      return verdictOf('first_time_pass_rate_worse_than_previous');
  }
  if (KPIS.change_failure_rate.numerator(current) > 0) return verdictOf('failure_recorded');
  if (openBugs.major > 0) return verdictOf('open_major_bug');
  return verdictOf('no_warning_signal');
}

export const verdictSchema = z
  .object({
    verdict: z.enum(VERDICTS),
    rule: z.enum(HEALTH_RULES),
    explanation: z.string(),
  })
  .strict();
