/**
 * Release desk channels (console side): a console enrolled as a desk reads a
 * release's progression across the stores of its scope from the central
 * server, a window at a time (the screen is virtualized: 5,000 stores never
 * cross the boundary at once). A store's drill-down is the desk's own
 * `desk:storeDetail`.
 */
import { z } from 'zod';
import { PROGRESSION_STATES, type ProgressionPage } from '../desk/progression.ts';
import { CHANNEL_ACCESS } from './access.ts';
import { call } from './define.ts';
import { id, pageWindow, ring, searchText, shortText } from './schemas.ts';

export type ReleaseProgression = ProgressionPage;

export const releaseDeskContract = {
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
} as const;
