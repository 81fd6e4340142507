import { ed25519 } from '@noble/curves/ed25519.js';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestSigningBytes, type UpdateManifest } from './manifest.ts';
import {
  holdUntilVerified,
  type DownloadingUpdater,
  type InstallRefusal,
} from './verifiedInstall.ts';

const secretKey = ed25519.utils.randomSecretKey();
const logKey = {
  logId: 'log-1',
  publicKey: Buffer.from(ed25519.getPublicKey(secretKey)).toString('base64'),
};
const installer = Buffer.from('installer bytes '.repeat(4096));
const fileName = 'DearPOS Release Console-2.5.0-x86_64.AppImage';
const manifest: UpdateManifest = {
  kind: 'update-manifest',
  v: 1,
  logId: 'log-1',
  version: '2.5.0',
  channel: 'latest',
  files: [
    {
      name: fileName,
      size: installer.length,
      sha512: createHash('sha512').update(installer).digest('base64'),
    },
  ],
  publishedAt: '2026-12-07T10:00:00.000Z',
};
const signature = Buffer.from(ed25519.sign(manifestSigningBytes(manifest), secretKey)).toString(
  'base64',
);

let dir: string;
let server: Server;
let base: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dearpos-verified-'));
  // A minimal manifest feed on loopback; consoleUpdater.test.ts runs the same check against the real server.
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/manifest' && url.searchParams.get('version') === '2.5.0') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ manifest, signature }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function fakeUpdater() {
  let listener: ((info: { version: string; downloadedFile: string }) => void) | null = null;
  const updater: DownloadingUpdater = {
    autoInstallOnAppQuit: true,
    on(_event, l) {
      listener = l;
      return this;
    },
  };
  return {
    updater,
    download: (info: { version: string; downloadedFile: string }) => listener?.(info),
  };
}

async function fetchManifest(version: string, channel: string): Promise<unknown> {
  const response = await fetch(`${base}/manifest?version=${version}&channel=${channel}`);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

function run(file: Buffer, options: { key?: typeof logKey | null; version?: string } = {}) {
  const { updater, download } = fakeUpdater();
  const refusals: InstallRefusal[] = [];
  const verified: string[] = [];
  const hold = holdUntilVerified({
    updater,
    channel: () => 'latest',
    logKey: () => (options.key === undefined ? logKey : options.key),
    fetchManifest,
    onVerified: (m) => verified.push(m.version),
    onRefused: (r) => refusals.push(r),
  });
  const path = join(dir, fileName);
  writeFileSync(path, file);
  download({ version: options.version ?? '2.5.0', downloadedFile: path });
  return { updater, hold, refusals, verified };
}

describe('a downloaded update installs only after its second signature checks out', () => {
  it('verifies the download against the signed manifest fetched over HTTP, then allows install at quit', async () => {
    const r = run(installer);
    expect(r.updater.autoInstallOnAppQuit).toBe(false);
    await r.hold.settled();
    expect(r.verified).toEqual(['2.5.0']);
    expect(r.hold.verifiedVersion()).toBe('2.5.0');
    expect(r.updater.autoInstallOnAppQuit).toBe(true);
  });

  it('refuses a tampered file and keeps the running version', async () => {
    const tampered = Buffer.from(installer);
    tampered[7] = 0;
    const r = run(tampered);
    await r.hold.settled();
    expect(r.refusals).toMatchObject([{ version: '2.5.0', reason: 'hash_mismatch' }]);
    expect(r.updater.autoInstallOnAppQuit).toBe(false);
    expect(r.hold.verifiedVersion()).toBeNull();
  });

  it('refuses when the manifest is not signed by the log it trusts, cannot be fetched, or no key is known', async () => {
    const other = run(installer, {
      key: {
        logId: 'log-1',
        publicKey: Buffer.from(ed25519.getPublicKey(ed25519.utils.randomSecretKey())).toString(
          'base64',
        ),
      },
    });
    const missing = run(installer, { version: '2.6.0' });
    const noKey = run(installer, { key: null });
    await Promise.all([other.hold.settled(), missing.hold.settled(), noKey.hold.settled()]);
    expect(other.refusals.map((x) => x.reason)).toEqual(['bad_signature']);
    expect(missing.refusals.map((x) => x.reason)).toEqual(['unreachable']);
    expect(noKey.refusals.map((x) => x.reason)).toEqual(['no_log_key']);
    for (const r of [other, missing, noKey]) expect(r.updater.autoInstallOnAppQuit).toBe(false);
  });
});
