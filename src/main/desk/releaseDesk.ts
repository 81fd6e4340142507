/**
 * The release desk on the console: the `releaseDesk:*` channels, answered
 * from the central server with the desk's token (the desk service holds it,
 * renews it and turns the server's refusals into coded errors). Nothing is
 * cached: a progression is only useful as of now, and the desk says so when
 * the server cannot be reached.
 */
import { progressionPage } from '../../shared/desk/progression.ts';
import {
  releaseDeskActionResponse,
  releaseDeskState,
  type ReleaseDeskState,
} from '../../shared/releases/deskProtocol.ts';
import { AppError } from '../../shared/errors.ts';
import { releaseCalendar, type ReleaseCalendar } from '../../shared/releases/calendar.ts';
import { deskRisks, type DeskRisks } from '../../shared/releases/risks.ts';
import { deskStoreNotesReads, type DeskStoreNotesReads } from '../../shared/releases/storeNotes.ts';
import { deskCommsPlan, type DeskCommsPlan } from '../../shared/releases/commsPlan.ts';
import type { ReleaseProgression } from '../../shared/contract/releaseDesk.ts';
import type { ParsedInputOf } from '../../shared/contract/define.ts';
import type { Contract } from '../../shared/contract/index.ts';
import type { CallContext, FeatureHandlers } from '../app/dispatcher.ts';
import type { DeskService } from './service.ts';

export type ReleaseDeskService = ReturnType<typeof createReleaseDeskService>;

export function createReleaseDeskService(deps: { desk: Pick<DeskService, 'request'> }) {
  async function progression(
    input: ParsedInputOf<Contract['releaseDesk:progression']>,
  ): Promise<ReleaseProgression> {
    const q = new URLSearchParams({
      releaseId: input.releaseId,
      offset: String(input.offset),
      limit: String(input.limit),
    });
    if (input.ring) q.set('ring', input.ring);
    if (input.state) q.set('state', input.state);
    if (input.search) q.set('search', input.search);
    if (input.region) q.set('region', input.region);
    return progressionPage.parse(await deps.desk.request(`/v1/desk/progression?${q.toString()}`));
  }
  async function calendar(
    input: ParsedInputOf<Contract['releaseDesk:calendar']>,
  ): Promise<ReleaseCalendar> {
    const q = new URLSearchParams({ from: input.from, to: input.to });
    if (input.storeId) q.set('storeId', input.storeId);
    return releaseCalendar.parse(await deps.desk.request(`/v1/desk/calendar?${q.toString()}`));
  }
  function state(input: { releaseId: string }): Promise<ReleaseDeskState> {
    return deps.desk
      .request(`/v1/desk/releases/${encodeURIComponent(input.releaseId)}/state`)
      .then((body) => releaseDeskState.parse(body));
  }

  /** A desk action in the name of the person signed in at this console (the server checks their role). */
  async function act(
    ctx: CallContext,
    releaseId: string,
    action: 'promote' | 'block' | 'unblock' | 'stage' | 'windows',
    body: Record<string, unknown>,
  ): Promise<ReleaseDeskState> {
    const actedBy = ctx.session?.user.id;
    if (!actedBy) throw new AppError('not_signed_in', 'Sign in to act on the release desk.');
    const out = await deps.desk.request(
      `/v1/desk/releases/${encodeURIComponent(releaseId)}/${action}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ actedBy, ...body }),
      },
    );
    return releaseDeskActionResponse.parse(out).state;
  }

  function risks(input: { releaseId: string }): Promise<DeskRisks> {
    return deps.desk
      .request(`/v1/desk/releases/${encodeURIComponent(input.releaseId)}/risks`)
      .then((body) => deskRisks.parse(body));
  }
  function storeNotesReads(input: { releaseId: string }): Promise<DeskStoreNotesReads> {
    return deps.desk
      .request(`/v1/desk/releases/${encodeURIComponent(input.releaseId)}/store-notes-reads`)
      .then((body) => deskStoreNotesReads.parse(body));
  }

  function commsPlan(input: { releaseId: string }): Promise<DeskCommsPlan> {
    return deps.desk
      .request(`/v1/desk/releases/${encodeURIComponent(input.releaseId)}/comms-plan`)
      .then((body) => deskCommsPlan.parse(body));
  }

  return { progression, calendar, state, act, risks, storeNotesReads, commsPlan };
}

/** The `releaseDesk:*` channels (src/shared/contract/releaseDesk.ts). */
export function createReleaseDeskHandlers(
  service: ReleaseDeskService,
): FeatureHandlers<'releaseDesk'> {
  return {
    'releaseDesk:progression': (input) => service.progression(input),
    'releaseDesk:state': (input) => service.state(input),
    'releaseDesk:calendar': (input) => service.calendar(input),
    'releaseDesk:risks': (input) => service.risks(input),
    'releaseDesk:storeNotesReads': (input) => service.storeNotesReads(input),
    'releaseDesk:commsPlan': (input) => service.commsPlan(input),
    'releaseDesk:promote': ({ releaseId, ring, percent, overrideReason }, ctx) =>
      service.act(ctx, releaseId, 'promote', {
        ring,
        ...(percent === undefined ? {} : { percent }),
        ...(overrideReason === undefined ? {} : { override: { reason: overrideReason } }),
      }),
    'releaseDesk:block': ({ releaseId, reason }, ctx) =>
      service.act(ctx, releaseId, 'block', { reason }),
    'releaseDesk:unblock': ({ releaseId, reason }, ctx) =>
      service.act(ctx, releaseId, 'unblock', reason === undefined ? {} : { reason }),
    'releaseDesk:stage': ({ releaseId, ring, percent }, ctx) =>
      service.act(ctx, releaseId, 'stage', { ring, percent }),
    'releaseDesk:schedule': ({ releaseId, start, end, storeIds, cohortRing }, ctx) =>
      service.act(ctx, releaseId, 'windows', {
        start,
        end,
        ...(storeIds === undefined ? {} : { storeIds }),
        ...(cohortRing === undefined ? {} : { cohort: { ring: cohortRing } }),
      }),
  };
}
