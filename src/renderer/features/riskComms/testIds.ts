/** Stable data-testid values of the risk register and what's new, for end-to-end tests. */
export const RISK_COMMS_TEST_IDS = {
  riskReview: 'risk-review',
  riskAcknowledge: 'risk-acknowledge',
  riskRecord: 'risk-record',
  deskRisks: 'desk-risks',
  deskReads: 'desk-store-notes-reads',
  deskComms: 'desk-comms-plan',
  commsSending: 'desk-comms-sending',
  whatsNew: 'whats-new',
  whatsNewRead: 'whats-new-read',
} as const;
