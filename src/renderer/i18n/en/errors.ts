/**
 * English: what the back end refuses with, by its stable code (rules of the
 * contract's schemas, deployment refusals, signing problems). The console
 * shows the back end's own English words in English; these are the reference
 * the other languages are written against, with the same placeholders.
 */
export const errors = {
  /** Rules of the contract's zod schemas (src/shared/contract/rules.ts). */
  rule: {
    reason_too_short: 'Give a reason (at least {{minimum}} characters).',
    text_too_long: 'Keep it under {{maximum}} characters.',
    pin_format: 'A PIN is 4 to 12 digits.',
    signature_required: 'Sign in the box: draw your signature or type your name.',
    condition_length: 'Each condition is {{minimum}} to {{maximum}} characters long.',
    impact_note_required:
      'Describe the impact: who and what is affected, and what happens if it goes wrong.',
    bad_time_span: 'The time span must end after it starts and last at most 7 days.',
    reason_required: 'Give a reason to {{action}}.',
    reason_too_long: 'Keep the reason under {{maximum}} characters.',
    conditions_missing: 'Go with conditions needs at least one condition.',
    conditions_not_allowed: 'Conditions go with "go with conditions" only.',
    compliance_missing:
      'The compliance checks this store’s region or country requires are not all passed ({{rules}}), so no go can be signed, not even with conditions. Sign no-go, or complete the checks first.',
    risks_not_acknowledged:
      'Acknowledge each open risk of this release before signing: {{missing}} not acknowledged yet.',
    title_too_short: 'Give a title of at least {{minimum}} characters.',
    category_required: 'Choose a category.',
  },
  /** What a reason is for, inside "Give a reason to …". */
  purpose: {
    start: 'override trading hours',
    fail_step: 'record a failed step',
    skip_step: 'skip a step',
    exclude_terminal: 'exclude a terminal',
    roll_back: 'roll back',
    abort: 'abort',
    abort_intervention: 'abort the intervention',
  },
  /** Deployment and change request refusals whose words never vary (the others keep the back end's English). */
  refusal: {
    not_allowed_to_request:
      'Only a technician, a store manager or an administrator can request a change.',
    impact_note_required:
      'Describe the impact: who and what is affected, and what happens if it goes wrong.',
    bad_time_span: 'The time span must end after it starts and last at most 7 days.',
    same_person:
      'A change request must be decided by someone other than the person who requested it.',
    note_required: 'Say why the change request is rejected.',
    reason_required: 'Give a reason.',
    already_rolling_back: 'The rollback runbook is already being walked.',
    already_started: 'This deployment has already started.',
    confirmation_required: 'Confirm that you want to abort this deployment.',
    needs_manager: 'Skipping a step needs the store manager.',
    not_claimed: 'Claim the intervention first ("assign to me").',
    not_failed: 'Only a failed step can be retried.',
  },
  /** Why a go / no-go decision cannot be signed (src/shared/decisions/signing.ts). */
  signing: {
    not_manager:
      'Only a store manager can sign a go / no-go decision; you are signed in as {{role}}.',
    not_assigned_to_store: 'You are not assigned to this store, so you cannot sign its decision.',
    deployed_this_release:
      'You deployed this release at this store, so another manager must sign go for it (you may still sign no-go).',
    verdict_is_no_go:
      'The criteria are not all met, so the decision cannot be a plain go. Choose no-go, or go with conditions and list them.',
    conditions_missing: 'Go with conditions needs at least one condition.',
    conditions_not_allowed: 'Conditions go with "go with conditions" only.',
  },
  nothingSigned: 'Nothing was signed.',
  /** Errors of any call whose words never vary. */
  code: {
    not_signed_in: 'Sign in to do this.',
    internal: 'Something went wrong. The action was not recorded.',
  },
};
