/**
 * The names of the consoles enrolled in a store, for the console's provenance
 * badges: a record from another console of the store reads "Paris back
 * office" rather than a device id. A device token reads its own store's
 * devices only (names and ids, nothing else).
 */
import { z } from 'zod';
import type { RouteAuth } from './protocol.ts';

export const STORE_DEVICES_ROUTES = {
  storeDevices: { method: 'GET', url: '/v1/store/devices', auth: 'device' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; url: string; auth: RouteAuth }>;

/** More devices than any store has: the answer stays one small page. */
export const MAX_STORE_DEVICES = 1_000;

export const storeDevicesResponse = z
  .object({
    devices: z
      .array(
        z
          .object({
            deviceId: z.string().min(1).max(64),
            /** Null for a device enrolled before devices had names. */
            name: z.string().min(1).max(64).nullable(),
          })
          .strict(),
      )
      .max(MAX_STORE_DEVICES),
  })
  .strict();
