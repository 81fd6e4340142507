import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestApp, TECH, journalCount } from '../app/testSupport.ts';
import { createSyncFactory } from './plugin.ts';
import { createFileSecretStore } from './secretStore.ts';

describe('connecting a console that holds the demo fleet', () => {
  it('is refused before the server is contacted, and changes nothing', async () => {
    let requests = 0;
    const keysDir = mkdtempSync(join(tmpdir(), 'console-keys-'));
    // The demo fleet is loaded and the technician signs in (a journal event);
    // any request sync would make is counted.
    const again = await startTestApp({
      signInAs: TECH,
      sync: createSyncFactory({
        secrets: createFileSecretStore(keysDir),
        isBackground: false,
        fetch: () => {
          requests += 1;
          return Promise.reject(new Error('must not be called'));
        },
      }),
    });
    try {
      const before = journalCount(again);
      const result = await again.dispatch('sync:connect', {
        serverUrl: 'http://127.0.0.1:9',
        enrollmentCode: 'ABCD-EFGH',
      });
      expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } });
      expect(!result.ok && result.error.message).toMatch(/new data folder/);
      expect(requests).toBe(0);
      expect(journalCount(again)).toBe(before);
      const status = await again.dispatch('sync:status', {});
      expect(status).toMatchObject({ ok: true, value: { isEnrolled: false } });
    } finally {
      await again.dispose();
    }
  });
});
