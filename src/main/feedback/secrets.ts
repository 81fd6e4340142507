/**
 * The exact secret values a report must never carry, in every form they
 * could be printed: the device token, the desk token, the device's private
 * key (DER as base64 and hex, PEM body, JWK). The
 * report's log lines are scrubbed of them (context.ts), whatever wrote them.
 */
import { createPrivateKey } from 'node:crypto';
import type { Db } from '../db/open.ts';
import { DEVICE_KEY_NAME } from '../sync/deviceKey.ts';
import type { SecretStore } from '../sync/secretStore.ts';
import { readSyncState } from '../sync/state.ts';

const DESK_TOKEN = 'desk-token';

function forms(bytes: Buffer): string[] {
  return [bytes.toString('base64'), bytes.toString('hex'), bytes.toString('utf8')];
}

export function reportSecrets(db: Db, secrets: SecretStore): string[] {
  const out: string[] = [];
  const token = readSyncState(db)?.device_token;
  if (token) out.push(token);
  const desk = secrets.get(DESK_TOKEN);
  if (desk) out.push(desk.toString('utf8'));
  const der = secrets.get(DEVICE_KEY_NAME);
  if (der) {
    out.push(...forms(der));
    const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    const jwk = key.export({ format: 'jwk' });
    if (jwk.d) out.push(jwk.d);
    out.push(
      ...(key.export({ format: 'pem', type: 'pkcs8' }) as string)
        .split('\n')
        .filter((l) => l.length > 0 && !l.startsWith('-----')),
    );
  }
  // Long, so printable forms of short values never blank ordinary words.
  return out.filter((s) => s.length >= 16);
}
