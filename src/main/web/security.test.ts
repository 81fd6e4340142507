import { describe, expect, it } from 'vitest';
import {
  bearerToken,
  contentSecurityPolicy,
  createToken,
  injectToken,
  isAllowedHost,
  isAllowedOrigin,
  isSameToken,
} from './security.ts';

describe('browser-mode guards', () => {
  it('makes a different unguessable token at each launch', () => {
    const a = createToken();
    const b = createToken();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('accepts only the exact token', () => {
    const token = createToken();
    expect(isSameToken(token, token)).toBe(true);
    expect(isSameToken(token, token.slice(1))).toBe(false);
    expect(isSameToken(token, `${token}x`)).toBe(false);
    expect(isSameToken(token, null)).toBe(false);
  });

  it('reads only a well-formed bearer header', () => {
    expect(bearerToken('Bearer abc_-1')).toBe('abc_-1');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('answers only to loopback names with our port (DNS rebinding)', () => {
    expect(isAllowedHost('127.0.0.1:5217', 5217)).toBe(true);
    expect(isAllowedHost('localhost:5217', 5217)).toBe(true);
    expect(isAllowedHost('evil.example:5217', 5217)).toBe(false);
    expect(isAllowedHost('127.0.0.1:5218', 5217)).toBe(false);
    expect(isAllowedHost('127.0.0.1', 5217)).toBe(false);
    expect(isAllowedHost(undefined, 5217)).toBe(false);
  });

  it('refuses other origins but allows requests that send none', () => {
    expect(isAllowedOrigin(undefined, 80)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:80', 80)).toBe(true);
    expect(isAllowedOrigin('https://evil.example', 80)).toBe(false);
    expect(isAllowedOrigin('null', 80)).toBe(false);
  });

  it('never allows inline or evaluated script', () => {
    const csp = contentSecurityPolicy();
    const script = csp.split('; ').find((d) => d.startsWith('script-src'));
    expect(script).toBe("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('puts the token in a meta tag inside head', () => {
    const html = injectToken('<!doctype html><html><head><title>x</title></head></html>', 'tok"en');
    expect(html).toContain('<head>\n    <meta name="dearpos-token" content="tok&#34;en">');
  });
});
