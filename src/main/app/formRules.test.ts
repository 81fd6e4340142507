/**
 * The console's forms judge their input with the contract's own schemas
 * (src/renderer/components/forms/validateWith.ts). Here the real back end
 * gets the same bad input: it refuses with the very words and code the form
 * shows before sending, and records nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { changeRequestInput } from '../../shared/contract/changeRequests.ts';
import { waiveItemInput } from '../../shared/contract/checklists.ts';
import type { DeploymentView } from '../../shared/contract/deployments.ts';
import { decisionRecordInput } from '../../shared/contract/decisions.ts';
import { featureRequestInput } from '../../shared/contract/feedback.ts';
import { checkRules } from '../../shared/contract/rules.ts';
import { conditionProblems } from '../../shared/decisions/signing.ts';
import { reasonSchema } from '../../shared/deployments/reasons.ts';
import { PNG_1X1 } from '../checklists/testing.ts';
import { expectOk, journalCount, MANAGER, startTestApp, type TestApp } from './testSupport.ts';

const LILLE = 'st-lil-01';
const RELEASE = 'rel-4.4.0';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ signInAs: MANAGER });
});
afterAll(async () => {
  await app.dispose();
});

/** The back end's refusal of `input`, and whether it recorded anything. */
async function refusal(channel: string, input: unknown) {
  const before = journalCount(app);
  const result = await app.dispatch(channel, input);
  if (result.ok) throw new Error(`${channel} accepted what the form refuses`);
  return { ...result.error, recorded: journalCount(app) - before };
}

function issuesOf(details: unknown): Array<{ code: string; message: string }> {
  return (details as { issues: Array<{ code: string; message: string }> }).issues;
}

describe("the back end refuses a form's bad input in the words the form showed", () => {
  it('a change request with a two-word impact note', async () => {
    const input = {
      deviation: { kind: 'release_not_approved_for_ring', storeId: LILLE, releaseId: RELEASE },
      impactNote: '  Tills off ',
      risk: 'medium',
    };
    const [shown] = checkRules(changeRequestInput, input);
    expect(shown).toMatchObject({ path: ['impactNote'], code: 'impact_note_required' });
    const refused = await refusal('changeRequests:request', input);
    expect(refused.message).toBe(shown!.message);
    expect(issuesOf(refused.details)[0]).toMatchObject({ code: shown!.code });
    expect(refused.recorded).toBe(0);
  });

  it('a window deviation that ends before it starts', async () => {
    const input = {
      deviation: {
        kind: 'deploy_outside_window',
        storeId: LILLE,
        releaseId: RELEASE,
        from: Date.parse('2026-12-02T10:00:00Z'),
        to: Date.parse('2026-12-02T09:00:00Z'),
      },
      impactNote: 'All four lanes restart during opening hours.',
      risk: 'low',
    };
    const [shown] = checkRules(changeRequestInput, input);
    expect(shown).toMatchObject({ code: 'bad_time_span' });
    const refused = await refusal('changeRequests:request', input);
    expect(refused.message).toBe(shown!.message);
    expect(refused.recorded).toBe(0);
  });

  it('a decision with a one-letter reason, a short PIN and no signature', async () => {
    const input = {
      releaseId: RELEASE,
      storeId: LILLE,
      decision: 'no-go',
      reason: ' x ',
      pin: '12',
      signaturePngBase64: '',
    };
    const shown = checkRules(decisionRecordInput, input);
    expect(shown.map((issue) => issue.code)).toEqual([
      'reason_too_short',
      'pin_format',
      'signature_required',
    ]);
    const refused = await refusal('decisions:record', input);
    expect(refused.code).toBe('invalid_input');
    expect(refused.message).toBe(shown[0]!.message);
    expect(issuesOf(refused.details).map((issue) => issue.message)).toEqual(
      shown.map((issue) => issue.message),
    );
    expect(refused.recorded).toBe(0);
  });

  it('go with conditions and no condition listed', async () => {
    const [shown] = conditionProblems('go-with-conditions', []);
    const refused = await refusal('decisions:record', {
      releaseId: RELEASE,
      storeId: LILLE,
      decision: 'go-with-conditions',
      reason: 'Receipt printer on Lane 2 is slow.',
      conditions: [],
      pin: MANAGER.pin,
      signaturePngBase64: PNG_1X1,
    });
    expect(refused.message).toBe(`${shown!.message} Nothing was signed.`);
    expect(refused.details).toMatchObject({ problems: [shown!.code] });
    expect(refused.recorded).toBe(0);
  });

  it('a feature request with a two-letter title and no category', async () => {
    const input = { title: ' Tx ', description: '', category: '', storeId: LILLE };
    const shown = checkRules(featureRequestInput, input);
    expect(shown.map((i) => [i.path, i.code])).toEqual([
      [['title'], 'title_too_short'],
      [['category'], 'category_required'],
    ]);
    const refused = await refusal('feedback:fileFeatureRequest', input);
    expect(refused.message).toBe(shown[0]!.message);
    expect(issuesOf(refused.details).map((i) => i.code)).toEqual(shown.map((i) => i.code));
    expect(refused.recorded).toBe(0);
  });

  it('a waiver with a blank reason', async () => {
    const input = { runId: 'run-1', terminalId: 'st-lil-01-t1', itemId: 'item-1', reason: '   ' };
    const [shown] = checkRules(waiveItemInput, input);
    const refused = await refusal('checklists:waiveItem', input);
    expect(refused.message).toBe(shown!.message);
    expect(refused.recorded).toBe(0);
  });

  it('an abort without a reason', async () => {
    const planned = expectOk(
      await app.dispatch('deployments:plan', { releaseId: RELEASE, storeId: LILLE }),
    ) as DeploymentView;
    const [shown] = checkRules(z.object({ reason: reasonSchema('abort') }), { reason: '  ' });
    expect(shown).toMatchObject({ code: 'reason_required', params: { action: 'abort' } });
    const refused = await refusal('deployments:act', {
      deploymentId: planned.state.plan.deploymentId,
      action: { type: 'abort', isConfirmed: true, reason: '  ' },
    });
    expect(refused.message).toBe(shown!.message);
    expect(refused.details).toEqual({ refusal: 'reason_required' });
    expect(refused.recorded).toBe(0);
  });
});
