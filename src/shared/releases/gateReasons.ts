/** The wire form of a promotion gate's reasons (gate.ts), for the 409 body and the desk's state. */
import { z } from 'zod';
import { RINGS } from '../domain/releases.ts';

export const gateReasonSchema = z.discriminatedUnion('code', [
  z
    .object({
      code: z.literal('go_share'),
      ring: z.enum(RINGS),
      goStores: z.number().int(),
      stores: z.number().int(),
      actualPercent: z.number().int(),
      requiredPercent: z.number().int(),
    })
    .strict(),
  z
    .object({
      code: z.literal('open_blockers'),
      count: z.number().int(),
      reportIds: z.array(z.string()),
    })
    .strict(),
]);
