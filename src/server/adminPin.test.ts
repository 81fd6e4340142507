import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promptPin, runAdmin } from './admin.ts';
import { hashPin } from './auth/pin.ts';
import { openServerDb } from './db/open.ts';

const CLI = join(dirname(fileURLToPath(import.meta.url)), 'cli.ts');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dearpos-admin-pin-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm run server -- admin …` as a child process. */
function admin(args: string[], env: Record<string, string>) {
  return spawnSync(
    process.execPath,
    ['--experimental-strip-types', '--no-warnings', CLI, 'admin', ...args, '--data', dir],
    { encoding: 'utf8', env: { ...process.env, ...env } },
  );
}

async function pinHashOf(userId: string): Promise<string | null> {
  const store = await openServerDb({ dataDir: dir });
  try {
    const row = await store.db
      .selectFrom('users')
      .select('data')
      .where('id', '=', userId)
      .executeTakeFirst();
    return row ? (JSON.parse(row.data) as { pinHash: string }).pinHash : null;
  } finally {
    await store.close();
  }
}

/** The PIN behind a stored scrypt hash, by hashing the guess with the same salt. */
async function isPinOf(hash: string, pin: string): Promise<boolean> {
  const salt = Buffer.from(hash.split('$')[4]!, 'base64');
  return (await hashPin(pin, salt)) === hash;
}

const USER = [
  'create-user',
  '--name',
  'Ann',
  '--role',
  'manager',
  '--stores',
  'S-1',
  '--as',
  'u-ops',
];

describe('admin create-user', () => {
  it('refuses a PIN on the command line and saves nothing', async () => {
    expect(await runAdmin([...USER, '--id', 'u-argv', '--pin', '482913', '--data', dir])).toBe(2);
    expect(await pinHashOf('u-argv')).toBeNull();
  });

  it('takes the PIN from DEARPOS_PIN (npm run server -- admin create-user)', async () => {
    const r = admin([...USER, '--id', 'u-env'], { DEARPOS_PIN: '482913' });
    expect(r.status, r.stderr).toBe(0);
    expect(await isPinOf((await pinHashOf('u-env'))!, '482913')).toBe(true);
  });

  it('without DEARPOS_PIN and without a terminal, says how to give the PIN and saves nothing', async () => {
    const saved = process.env.DEARPOS_PIN;
    delete process.env.DEARPOS_PIN;
    try {
      await expect(promptPin('PIN: ')).rejects.toThrow(/set DEARPOS_PIN, or run it at a terminal/);
      expect(await runAdmin([...USER, '--id', 'u-none', '--data', dir])).toBe(1);
      expect(await pinHashOf('u-none')).toBeNull();
    } finally {
      if (saved !== undefined) process.env.DEARPOS_PIN = saved;
    }
  });

  it('asks for the PIN twice at a terminal and refuses two different PINs', async () => {
    const saved = process.env.DEARPOS_PIN;
    delete process.env.DEARPOS_PIN;
    try {
      const asked: string[] = [];
      const answers = ['735102', '735102'];
      const ok = await runAdmin([...USER, '--id', 'u-tty', '--data', dir], {
        readPin: (question) => {
          asked.push(question);
          return Promise.resolve(answers.shift()!);
        },
      });
      expect(ok).toBe(0);
      expect(asked).toEqual(['PIN for u-tty: ', 'The same PIN again: ']);
      expect(await isPinOf((await pinHashOf('u-tty'))!, '735102')).toBe(true);

      const differ = ['735102', '735103'];
      const refused = await runAdmin([...USER, '--id', 'u-typo', '--data', dir], {
        readPin: () => Promise.resolve(differ.shift()!),
      });
      expect(refused).toBe(1);
      expect(await pinHashOf('u-typo')).toBeNull();
    } finally {
      if (saved !== undefined) process.env.DEARPOS_PIN = saved;
    }
  });
});
