/**
 * The events a webhook subscription can ask for, declared once: the server
 * emits them, the admin API and CLI validate subscriptions against them, and
 * docs/webhooks.md describes them and what in the central log produces each
 * one; a type whose source event does not exist yet is declared (a
 * subscription may ask for it) but never emitted.
 */
export const WEBHOOK_EVENT_TYPES = [
  'release.blocked',
  'decision.no_go_recorded',
  'bug_report.s1_filed',
  'deployment.rollback_started',
  'deployment.intervention_waiting',
  'promotion.override_used',
  'console.quarantined',
  'release.communication.due',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The JSON body of every notification (the Standard Webhooks payload shape). */
export type WebhookPayload = {
  type: WebhookEventType;
  /** When the fact was recorded (ISO-8601 UTC). */
  timestamp: string;
  data: Record<string, string | number | boolean | null>;
};

/** The threshold when a subscription does not name one. */
export const DEFAULT_INTERVENTION_WAIT_MINUTES = 60;
