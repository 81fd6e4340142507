/**
 * Where the console gets what it checks an update with: the central log's
 * key it stored at enrollment (never fetched again, so a server that changed
 * keys cannot vouch for a download), and the signed manifest of a version
 * from the server it is enrolled with.
 */
import type { Db } from '../db/open.ts';

export function readTrustedLogKey(db: Db): { logId: string; publicKey: string } | null {
  const row = db.sqlite
    .prepare('SELECT log_id, log_public_key FROM sync_state WHERE singleton = 1')
    .get() as { log_id: string; log_public_key: string } | undefined;
  return row ? { logId: row.log_id, publicKey: row.log_public_key } : null;
}

export function readEnrolledServerUrl(db: Db): string | null {
  const row = db.sqlite.prepare('SELECT server_url FROM sync_state WHERE singleton = 1').get() as
    { server_url: string } | undefined;
  return row?.server_url ?? null;
}

/** GET /v1/updates/:channel/:version/manifest; a refusal throws with the server's message. */
export async function fetchSignedManifest(
  serverUrl: string,
  channel: string,
  version: string,
): Promise<unknown> {
  const url = `${serverUrl.replace(/\/+$/, '')}/v1/updates/${encodeURIComponent(channel)}/${encodeURIComponent(version)}/manifest`;
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const body = (await response.json().catch(() => null)) as { message?: unknown } | null;
  if (!response.ok) {
    throw new Error(
      typeof body?.message === 'string' ? body.message : `update manifest: HTTP ${response.status}`,
    );
  }
  return body;
}
