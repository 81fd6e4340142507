/**
 * PUSH_CHECK_INLINE_BELOW_BYTES, the operator's say over where pushes are
 * checked: a number of bytes, or Infinity for no worker thread at all; any
 * other value stops the start before anything is opened.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../app.ts';
import { pushCheckFromEnv } from './pushChecker.ts';

describe('PUSH_CHECK_INLINE_BELOW_BYTES', () => {
  it('unset or empty keeps the default; a whole number of bytes or Infinity is taken as it is', () => {
    expect(pushCheckFromEnv(undefined)).toEqual({});
    expect(pushCheckFromEnv('')).toEqual({});
    expect(pushCheckFromEnv('0')).toEqual({ inlineBelowBytes: 0 });
    expect(pushCheckFromEnv('1048576')).toEqual({ inlineBelowBytes: 1_048_576 });
    expect(pushCheckFromEnv('Infinity')).toEqual({ inlineBelowBytes: Infinity });
  });

  it.each(['lots', '-1', '1.5', '1e400', 'infinity', ' 12'])(
    'refuses %j with the reason',
    (text) => {
      expect(() => pushCheckFromEnv(text)).toThrow(
        `PUSH_CHECK_INLINE_BELOW_BYTES must be a whole number of bytes or Infinity, not ${text}`,
      );
    },
  );

  describe('the server', () => {
    const saved = process.env.PUSH_CHECK_INLINE_BELOW_BYTES;
    const dataDir = mkdtempSync(join(tmpdir(), 'push-check-env-'));
    afterEach(() => {
      if (saved === undefined) delete process.env.PUSH_CHECK_INLINE_BELOW_BYTES;
      else process.env.PUSH_CHECK_INLINE_BELOW_BYTES = saved;
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('does not start with a bad value, and opens nothing first', async () => {
      process.env.PUSH_CHECK_INLINE_BELOW_BYTES = 'lots';
      await expect(createServer({ dataDir })).rejects.toThrow(
        'PUSH_CHECK_INLINE_BELOW_BYTES must be a whole number of bytes or Infinity, not lots',
      );
      expect(existsSync(join(dataDir, 'server.sqlite'))).toBe(false);
    });
  });
});
