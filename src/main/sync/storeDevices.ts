/**
 * Pulls the names of the store's consoles (GET /v1/store/devices) into
 * `store_devices`, for the provenance badges. Names are a courtesy: a failed
 * pull is logged and retried on the next cycle, and never fails the sync.
 */
import { STORE_DEVICES_ROUTES, storeDevicesResponse } from '../../shared/sync/storeDevices.ts';
import type { Db } from '../db/open.ts';
import type { Logger } from '../log.ts';
import type { FetchLike } from './client.ts';

export async function pullStoreDeviceNames(options: {
  db: Db;
  serverUrl: string;
  token: string;
  fetch?: FetchLike | undefined;
  timeoutMs?: number | undefined;
  log: Logger;
}): Promise<number> {
  const doFetch = options.fetch ?? fetch;
  const url = `${options.serverUrl.replace(/\/+$/, '')}${STORE_DEVICES_ROUTES.storeDevices.url}`;
  try {
    const response = await doFetch(url, {
      headers: { authorization: `Bearer ${options.token}` },
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const { devices } = storeDevicesResponse.parse(await response.json());
    const upsert = options.db.sqlite.prepare(
      `INSERT INTO store_devices (device_id, name) VALUES (?, ?)
       ON CONFLICT (device_id) DO UPDATE SET name = excluded.name WHERE name IS NOT excluded.name`,
    );
    let changed = 0;
    options.db.sqlite.transaction(() => {
      for (const d of devices) changed += upsert.run(d.deviceId, d.name).changes;
    })();
    return changed;
  } catch (error) {
    options.log.warn({ err: error }, 'console names not pulled; kept for the next sync');
    return 0;
  }
}
