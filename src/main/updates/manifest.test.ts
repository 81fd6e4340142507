import { ed25519 } from '@noble/curves/ed25519.js';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  manifestSigningBytes,
  verifyDownloadedFile,
  verifyUpdateManifest,
  type UpdateManifest,
} from './manifest.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dearpos-manifest-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const secretKey = ed25519.utils.randomSecretKey();
const log = {
  logId: 'log-central-1',
  publicKey: Buffer.from(ed25519.getPublicKey(secretKey)).toString('base64'),
};
const installer = Buffer.from('MZ… a signed NSIS installer, byte for byte'.repeat(1000));
const name = 'DearPOS Release Console-2.5.0-setup-x64.exe';

function signed(overrides: Partial<UpdateManifest> = {}, key = secretKey) {
  const manifest: UpdateManifest = {
    kind: 'update-manifest',
    v: 1,
    logId: log.logId,
    version: '2.5.0',
    channel: 'latest',
    files: [
      {
        name,
        size: installer.length,
        sha512: createHash('sha512').update(installer).digest('base64'),
      },
    ],
    publishedAt: '2026-12-07T10:00:00.000Z',
    ...overrides,
  };
  const signature = Buffer.from(ed25519.sign(manifestSigningBytes(manifest), key)).toString(
    'base64',
  );
  return { manifest, signature };
}
const expected = { version: '2.5.0', channel: 'latest' };

function reasonOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return (error as { details?: { reason?: string } }).details?.reason;
  }
  return null;
}

describe('the update manifest, signed with the central log key', () => {
  it('accepts a manifest signed by the log and the file it names', async () => {
    const manifest = verifyUpdateManifest(signed(), log, expected);
    const file = join(dir, name);
    writeFileSync(file, installer);
    await expect(verifyDownloadedFile(manifest, file)).resolves.toBeUndefined();
  });

  it('refuses a bad signature, another log, another release, or a malformed manifest', () => {
    const other = ed25519.utils.randomSecretKey();
    expect(reasonOf(() => verifyUpdateManifest(signed({}, other), log, expected))).toBe(
      'bad_signature',
    );
    // Signed, then edited: the signature no longer covers it.
    const edited = signed();
    edited.manifest.version = '2.5.1';
    expect(
      reasonOf(() => verifyUpdateManifest(edited, log, { ...expected, version: '2.5.1' })),
    ).toBe('bad_signature');
    expect(reasonOf(() => verifyUpdateManifest(signed({ logId: 'log-x' }), log, expected))).toBe(
      'wrong_log',
    );
    expect(reasonOf(() => verifyUpdateManifest(signed({ channel: 'beta' }), log, expected))).toBe(
      'wrong_release',
    );
    expect(
      reasonOf(() => verifyUpdateManifest({ manifest: {}, signature: 'x' }, log, expected)),
    ).toBe('malformed');
  });

  it('refuses a tampered download, a truncated one and a file it does not list', async () => {
    const manifest = verifyUpdateManifest(signed(), log, expected);
    const file = join(dir, name);
    const tampered = Buffer.from(installer);
    tampered[100] = tampered[100]! ^ 1;
    writeFileSync(file, tampered);
    await expect(verifyDownloadedFile(manifest, file)).rejects.toMatchObject({
      code: 'invalid_input',
      details: { reason: 'hash_mismatch' },
      message: expect.stringContaining('the running version stays') as unknown,
    });
    writeFileSync(file, installer.subarray(1));
    await expect(verifyDownloadedFile(manifest, file)).rejects.toMatchObject({
      details: { reason: 'size_mismatch' },
    });
    const stray = join(dir, 'other.exe');
    writeFileSync(stray, installer);
    await expect(verifyDownloadedFile(manifest, stray)).rejects.toMatchObject({
      details: { reason: 'unknown_file' },
    });
  });
});
