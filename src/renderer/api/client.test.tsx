import { describe, expect, it } from 'vitest';
import { ApiError, readToken, unwrap } from './client.ts';

describe('transport client', () => {
  it('unwraps a success envelope to its value', () => {
    expect(unwrap({ ok: true, value: { pending: 3 } })).toEqual({ pending: 3 });
  });

  it('turns an error envelope into an ApiError with the stable code and message', () => {
    let caught: unknown;
    try {
      unwrap({ ok: false, error: { code: 'unknown_release', message: 'No release 9.9.9 in the catalog.' } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).code).toBe('unknown_release');
    expect((caught as ApiError).message).toBe('No release 9.9.9 in the catalog.');
  });

  it('reads the browser-mode token the server injected, skipping empty ones', () => {
    document.head.innerHTML = '<meta name="dearpos-token" content=""><meta name="dearpos-token" content="abc_DEF-123">';
    expect(readToken(document)).toBe('abc_DEF-123');
    document.head.innerHTML = '';
    expect(readToken(document)).toBe('');
  });
});
