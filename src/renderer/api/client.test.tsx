import { describe, expect, it } from 'vitest';
import type { Api } from '../../shared/contract/index.ts';
import { ApiError, createClient, createHttpApi, readToken, unwrap } from './client.ts';

describe('transport client', () => {
  it('unwraps a success envelope to its value', () => {
    expect(unwrap({ ok: true, value: { pending: 3 } })).toEqual({ pending: 3 });
  });

  it('turns an error envelope into an ApiError with the stable code and message', () => {
    let caught: unknown;
    try {
      unwrap({
        ok: false,
        error: { code: 'unknown_release', message: 'No release 9.9.9 in the catalog.' },
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).code).toBe('unknown_release');
    expect((caught as ApiError).message).toBe('No release 9.9.9 in the catalog.');
  });

  it('reads the browser-mode token the server injected, skipping empty ones', () => {
    document.head.innerHTML =
      '<meta name="dearpos-token" content=""><meta name="dearpos-token" content="abc_DEF-123">';
    expect(readToken(document)).toBe('abc_DEF-123');
    document.head.innerHTML = '';
    expect(readToken(document)).toBe('');
  });
});

describe('client proxies', () => {
  it('any contract channel reaches the transport, and results are unwrapped', async () => {
    const seen: Array<[string, unknown]> = [];
    const api = new Proxy({} as Api, {
      get: (_t, channel) => (input: unknown) => {
        seen.push([String(channel), input]);
        return Promise.resolve({ ok: true, value: 7 });
      },
    });
    const client = createClient(api);
    await expect(client['sync:status']({})).resolves.toBe(7);
    expect(seen).toEqual([['sync:status', {}]]);
  });

  it('is not a thenable, so awaiting it or returning it from async code is safe', async () => {
    const client = createClient(createHttpApi('t'));
    expect((client as unknown as { then?: unknown }).then).toBeUndefined();
    expect((createHttpApi('t') as unknown as { then?: unknown }).then).toBeUndefined();
    await expect(Promise.resolve(client)).resolves.toBe(client);
  });
});
