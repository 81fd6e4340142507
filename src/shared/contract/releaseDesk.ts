/**
 * Release desk channels (console side): a console enrolled as a desk reads a
 * release's progression across the stores of its scope from the central
 * server, a window at a time (the screen is virtualized: 5,000 stores never
 * cross the boundary at once). A store's drill-down is the desk's own
 * `desk:storeDetail`.
 */
import { z } from 'zod';
import { PROGRESSION_STATES, type ProgressionPage } from '../desk/progression.ts';
import type { ReleaseDeskState } from '../releases/deskProtocol.ts';
import { calendarQuery, type ReleaseCalendar } from '../releases/calendar.ts';
import { CHANNEL_ACCESS } from './access.ts';
import { call } from './define.ts';
import type { DeskRisks } from '../releases/risks.ts';
import type { DeskStoreNotesReads } from '../releases/storeNotes.ts';
import type { DeskCommsPlan } from '../releases/commsPlan.ts';
import { id, pageWindow, reasonText, ring, searchText, shortText } from './schemas.ts';

export type ReleaseProgression = ProgressionPage;
export type { ReleaseDeskState, ReleaseCalendar };

/** Store-local time as the store's clock reads it: YYYY-MM-DDTHH:mm. */
const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'a time is YYYY-MM-DDTHH:mm');
const percent = z
  .number()
  .int('a percentage is a whole number')
  .min(0, 'a percentage is 0 to 100')
  .max(100, 'a percentage is 0 to 100');

export const releaseDeskContract = {
  /** A release's risk register from the central server: open risks first, worst first. */
  'releaseDesk:risks': call<DeskRisks>()({
    input: z.object({ releaseId: id }).strict(),
    access: CHANNEL_ACCESS['releaseDesk:risks'],
  }),
  /** How many people read the release's notes for stores, per store of the desk's scope. */
  'releaseDesk:storeNotesReads': call<DeskStoreNotesReads>()({
    input: z.object({ releaseId: id }).strict(),
    access: CHANNEL_ACCESS['releaseDesk:storeNotesReads'],
  }),
  /** The release's communication plan: who is told what, each one's time per ring, and when it was sent. */
  'releaseDesk:commsPlan': call<DeskCommsPlan>()({
    input: z.object({ releaseId: id }).strict(),
    access: CHANNEL_ACCESS['releaseDesk:commsPlan'],
  }),
  /** One release over every store in the desk's scope: counts per ring and state, and a window of the stores. */
  'releaseDesk:progression': call<ReleaseProgression>()({
    input: z
      .object({
        releaseId: id,
        ring: ring.optional(),
        state: z.enum(PROGRESSION_STATES).optional(),
        search: searchText.optional(),
        region: shortText.optional(),
        ...pageWindow,
      })
      .strict(),
    access: CHANNEL_ACCESS['releaseDesk:progression'],
  }),
  /**
   * The release calendar of a span of days (at most a month view's): each release's plan per
   * ring against what happened, freezes and deployment windows in scope, one store's trading days.
   */
  'releaseDesk:calendar': call<ReleaseCalendar>()({
    input: calendarQuery,
    access: CHANNEL_ACCESS['releaseDesk:calendar'],
  }),
  /** The release's lifecycle, gates per ring (with why not), rollouts, windows and promotions. */
  'releaseDesk:state': call<ReleaseDeskState>()({
    input: z.object({ releaseId: id }).strict(),
    access: CHANNEL_ACCESS['releaseDesk:state'],
  }),
  /**
   * Points a ring at the release (a staged percentage of its stores, 100 unless given). The
   * server refuses it (conflict, with the gate's reasons) unless the previous ring's evidence
   * allows it; an administrator may override with a reason, recorded as its own audit event.
   */
  'releaseDesk:promote': call<ReleaseDeskState>()({
    input: z
      .object({
        releaseId: id,
        ring,
        percent: percent.optional(),
        overrideReason: reasonText.optional(),
      })
      .strict(),
    access: CHANNEL_ACCESS['releaseDesk:promote'],
  }),
  /** Blocks the release with a reason: every console in scope shows it, deployments of it are refused. */
  'releaseDesk:block': call<ReleaseDeskState>()({
    input: z.object({ releaseId: id, reason: reasonText }).strict(),
    access: CHANNEL_ACCESS['releaseDesk:block'],
  }),
  'releaseDesk:unblock': call<ReleaseDeskState>()({
    input: z.object({ releaseId: id, reason: reasonText.optional() }).strict(),
    access: CHANNEL_ACCESS['releaseDesk:unblock'],
  }),
  /** Raises (or lowers) the share of a ring's stores that take the release. */
  'releaseDesk:stage': call<ReleaseDeskState>()({
    input: z.object({ releaseId: id, ring, percent }).strict(),
    access: CHANNEL_ACCESS['releaseDesk:stage'],
  }),
  /** A deployment window, in each store's local time, for named stores or a ring's staged cohort. */
  'releaseDesk:schedule': call<ReleaseDeskState>()({
    input: z
      .object({
        releaseId: id,
        start: localTime,
        end: localTime,
        storeIds: z.array(id).min(1).max(5000).optional(),
        cohortRing: ring.optional(),
      })
      .strict()
      .refine((w) => w.end > w.start, {
        message: 'the window ends before it starts',
        path: ['end'],
      })
      .refine((w) => (w.storeIds === undefined) !== (w.cohortRing === undefined), {
        message: 'name either stores or a ring',
        path: ['storeIds'],
      }),
    access: CHANNEL_ACCESS['releaseDesk:schedule'],
  }),
} as const;
