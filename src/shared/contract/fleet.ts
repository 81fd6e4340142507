/** Fleet channels: the store × release matrix, the terminal table and detail, and recording a terminal's version. */
import { z } from 'zod';
import {
  TERMINAL_SORT_KEYS,
  type FleetFilterOptions,
  type FleetMatrix,
  type RecordVersionResult,
  type TerminalDetail,
  type TerminalPage,
} from '../fleet/types.ts';
import { CHANNEL_ACCESS } from './access.ts';
import { call } from './define.ts';
import { empty, id, pageWindow, ring, searchText, shortText, version } from './schemas.ts';

const fleetFilter = z
  .object({
    region: shortText.optional(),
    ring: ring.optional(),
    model: shortText.optional(),
    releaseId: id.optional(),
    storeId: id.optional(),
    search: searchText.optional(),
    driftOnly: z.boolean().optional(),
  })
  .strict();

export const fleetContract = {
  /** Store × release matrix, computed in SQL from the maintained current-release table. */
  'fleet:matrix': call<FleetMatrix>()({ input: fleetFilter, access: 'signedIn' }),
  'fleet:filterOptions': call<FleetFilterOptions>()({ input: empty, access: 'signedIn' }),
  /** One window of the terminal table: filtered, sorted, searched in SQL. */
  'fleet:listTerminals': call<TerminalPage>()({
    input: z
      .object({
        filter: fleetFilter,
        sort: z.object({ key: z.enum(TERMINAL_SORT_KEYS), desc: z.boolean() }).strict(),
        ...pageWindow,
      })
      .strict(),
    access: 'signedIn',
  }),
  'fleet:getTerminal': call<TerminalDetail>()({
    input: z.object({ terminalId: id }).strict(),
    access: 'signedIn',
  }),
  /** A technician records the version observed on a terminal (typed or scanned). */
  'fleet:recordVersion': call<RecordVersionResult>()({
    input: z.object({ terminalId: id, version, source: z.enum(['typed', 'scanned']) }).strict(),
    access: CHANNEL_ACCESS['fleet:recordVersion'],
  }),
} as const;
