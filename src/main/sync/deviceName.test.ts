/**
 * The device name typed in the Connect form reaches the central server's
 * device list; a name the server would refuse is refused here first, before
 * the single-use enrollment code is spent.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../app/testSupport.ts';
import { createSyncFactory } from './plugin.ts';
import { createFileSecretStore } from './secretStore.ts';
import { readSyncState } from './state.ts';
import { startCentralServer, type CentralServerProcess } from './testing/centralServer.ts';

// The real central server, as a child process (main talks to it over HTTP only), with the demo catalog.
const STORE = 'st-par-01';
let server: CentralServerProcess;
beforeAll(async () => {
  server = await startCentralServer({
    dataDir: mkdtempSync(join(tmpdir(), 'central-')),
    isDemo: true,
  });
});
afterAll(async () => {
  await server.stop();
});

async function admin(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      authorization: `Bearer ${server.adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}

async function firstRunConsole(onRequest: () => void = () => {}) {
  return startTestApp({
    withDemo: false,
    sync: createSyncFactory({
      secrets: createFileSecretStore(mkdtempSync(join(tmpdir(), 'console-keys-'))),
      isBackground: false,
      fetch: (input, init) => {
        onRequest();
        return fetch(input, init);
      },
    }),
  });
}

async function newCode(): Promise<string> {
  return (
    (await admin('POST', '/v1/admin/enrollment-codes', { storeId: STORE })) as { code: string }
  ).code;
}

async function deviceName(deviceId: string): Promise<string | null | undefined> {
  const body = (await admin('GET', '/v1/admin/devices')) as {
    devices: Array<{ id: string; name: string | null }>;
  };
  return body.devices.find((d) => d.id === deviceId)?.name;
}

describe('naming a console when it connects', () => {
  it('sends the name typed at enrollment to the central server', async () => {
    const app = await firstRunConsole();
    try {
      const result = await app.dispatch('sync:connect', {
        serverUrl: server.url,
        enrollmentCode: await newCode(),
        deviceName: 'Paris back office',
      });
      expect(result).toMatchObject({ ok: true, value: { isEnrolled: true } });
      expect(await deviceName(app.journal.deviceId)).toBe('Paris back office');
    } finally {
      await app.dispose();
    }
  });

  it('without a name, is named after its store and a number rather than its computer', async () => {
    const app = await firstRunConsole();
    try {
      const result = await app.dispatch('sync:connect', {
        serverUrl: server.url,
        enrollmentCode: await newCode(),
      });
      expect(result.ok).toBe(true);
      expect(await deviceName(app.journal.deviceId)).toMatch(/^st-par-01 console \d+$/);
    } finally {
      await app.dispose();
    }
  });

  it('refuses a name with a line break before any request, and stays unenrolled', async () => {
    let requests = 0;
    const app = await firstRunConsole(() => (requests += 1));
    try {
      const result = await app.dispatch('sync:connect', {
        serverUrl: server.url,
        enrollmentCode: 'ABCD-EFGH-JKMN',
        deviceName: 'Till\nPC',
      });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(!result.ok && result.error.message).toMatch(/printable/);
      expect(requests).toBe(0);
      expect(readSyncState(app.db)).toBeNull();
    } finally {
      await app.dispose();
    }
  });
});
