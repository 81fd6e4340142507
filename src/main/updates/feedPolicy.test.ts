import { describe, expect, it } from 'vitest';
import { decideUpdateFeed } from './feedPolicy.ts';

const env = (url?: string) => ({ DEARPOS_UPDATE_URL: url });

describe('which update feed the console follows', () => {
  it('a packaged console ignores DEARPOS_UPDATE_URL and follows its own feed', () => {
    expect(
      decideUpdateFeed({ isPackaged: true, env: env('https://evil.example.com/feed/') }),
    ).toEqual({ kind: 'packaged', ignoredOverride: true });
    expect(decideUpdateFeed({ isPackaged: true, env: env() })).toEqual({
      kind: 'packaged',
      ignoredOverride: false,
    });
    expect(decideUpdateFeed({ isPackaged: true, env: {} })).toEqual({
      kind: 'packaged',
      ignoredOverride: false,
    });
  });

  it('a development build follows DEARPOS_UPDATE_URL, and checks nothing without it', () => {
    expect(
      decideUpdateFeed({ isPackaged: false, env: env('https://updates.dearpos.com/console/') }),
    ).toEqual({ kind: 'development-override', url: 'https://updates.dearpos.com/console/' });
    expect(decideUpdateFeed({ isPackaged: false, env: env('http://127.0.0.1:8080/') })).toEqual({
      kind: 'development-override',
      url: 'http://127.0.0.1:8080/',
    });
    expect(decideUpdateFeed({ isPackaged: false, env: env() }).kind).toBe('off');
    expect(decideUpdateFeed({ isPackaged: false, env: env('   ') }).kind).toBe('off');
  });

  it('a development override that is not https (or local http), not a URL, or carries credentials is refused', () => {
    for (const url of [
      'http://updates.dearpos.com/',
      'ftp://updates.dearpos.com/',
      'file:///tmp/feed',
      'not a url',
      'https://user:secret@updates.dearpos.com/',
    ]) {
      const decision = decideUpdateFeed({ isPackaged: false, env: env(url) });
      expect(decision.kind, url).toBe('off');
      expect(decision.kind === 'off' && decision.reason, url).toMatch(/DEARPOS_UPDATE_URL/);
    }
  });
});
