/**
 * The events a webhook subscription can ask for, declared once: the server
 * emits them, the admin API and CLI validate subscriptions against them, and
 * docs/webhooks.md describes them. `source` says what in the central log
 * produces each one; a type whose source event does not exist yet is
 * declared (a subscription may ask for it) but never emitted.
 */
export const WEBHOOK_EVENT_TYPES = [
  'release.blocked',
  'decision.no_go_recorded',
  'bug_report.s1_filed',
  'deployment.rollback_started',
  'deployment.intervention_waiting',
  'promotion.override_used',
  'console.quarantined',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export type WebhookEventSpec = {
  /** What happened, in words for the people the notification reaches. */
  summary: string;
  /** The central-log fact that emits it, or null while no such fact is recorded. */
  source: string | null;
};

export const WEBHOOK_EVENTS: Record<WebhookEventType, WebhookEventSpec> = {
  'release.blocked': {
    summary: 'A release was blocked from further rollout.',
    source: null,
  },
  'decision.no_go_recorded': {
    summary: 'A store manager recorded a no-go for a release.',
    source: "decision.recorded with decision 'no-go'",
  },
  'bug_report.s1_filed': {
    summary: 'A severity-1 (blocker) bug report was filed.',
    source: "feedback.bug_report.drafted with severity 'blocker'",
  },
  'deployment.rollback_started': {
    summary: 'A deployment started rolling back.',
    source: 'deployment.rollback.started',
  },
  'deployment.intervention_waiting': {
    summary: 'A deployment has been waiting at a manual intervention longer than the threshold.',
    source:
      "a deployment paused at an intervention (rm_deployments status 'paused_at_intervention') for longer than the subscription's waitMinutes",
  },
  'promotion.override_used': {
    summary: 'A promotion rule was overridden.',
    source: null,
  },
  'console.quarantined': {
    summary: 'An event from a console broke the actor rule and was quarantined.',
    source: 'any pushed event the actor check quarantines',
  },
};

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** The JSON body of every notification (the Standard Webhooks payload shape). */
export type WebhookPayload = {
  type: WebhookEventType;
  /** When the fact was recorded (ISO-8601 UTC). */
  timestamp: string;
  data: Record<string, string | number | boolean | null>;
};

/** The threshold when a subscription does not name one. */
export const DEFAULT_INTERVENTION_WAIT_MINUTES = 60;
