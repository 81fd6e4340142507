import { describe, expect, it } from 'vitest';
import {
  APP_INDEX_URL,
  electronContentSecurityPolicy,
  isAllowedExternalUrl,
  isTrustedSender,
  resolveAppFile,
  type RendererOrigin,
} from './guards.ts';

const packaged: RendererOrigin = { kind: 'app' };
const dev: RendererOrigin = { kind: 'dev', url: 'http://localhost:5173/' };

describe('Electron sender check', () => {
  it('trusts our own packaged page in the top frame, with any hash route', () => {
    expect(
      isTrustedSender({ frameUrl: `${APP_INDEX_URL}#/fleet`, isMainFrame: true }, packaged),
    ).toBe(true);
  });

  it('refuses iframes, other files, other origins and missing URLs', () => {
    expect(isTrustedSender({ frameUrl: APP_INDEX_URL, isMainFrame: false }, packaged)).toBe(false);
    expect(
      isTrustedSender({ frameUrl: 'file:///tmp/evil.html', isMainFrame: true }, packaged),
    ).toBe(false);
    expect(
      isTrustedSender({ frameUrl: 'app://console/assets/other.html', isMainFrame: true }, packaged),
    ).toBe(false);
    expect(
      isTrustedSender({ frameUrl: 'app://elsewhere/index.html', isMainFrame: true }, packaged),
    ).toBe(false);
    expect(
      isTrustedSender({ frameUrl: 'https://evil.example/index.html', isMainFrame: true }, packaged),
    ).toBe(false);
    expect(isTrustedSender({ frameUrl: undefined, isMainFrame: true }, packaged)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'not a url', isMainFrame: true }, packaged)).toBe(false);
  });

  it('trusts the dev server origin only while developing', () => {
    expect(
      isTrustedSender({ frameUrl: 'http://localhost:5173/#/releases', isMainFrame: true }, dev),
    ).toBe(true);
    expect(isTrustedSender({ frameUrl: 'http://localhost:5174/', isMainFrame: true }, dev)).toBe(
      false,
    );
    expect(
      isTrustedSender({ frameUrl: 'http://localhost:5173/', isMainFrame: true }, packaged),
    ).toBe(false);
  });
});

describe('external links', () => {
  it('opens only https links to allow-listed hosts', () => {
    expect(isAllowedExternalUrl('https://docs.dearpos.com/runbooks')).toBe(true);
    expect(isAllowedExternalUrl('http://docs.dearpos.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://docs.dearpos.com.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@docs.dearpos.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://docs.dearpos.com:8443/')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isAllowedExternalUrl('smb://share/x')).toBe(false);
  });
});

describe('Electron CSP', () => {
  it('is strict in the packaged app: no inline or eval script', () => {
    const csp = electronContentSecurityPolicy(packaged);
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('lets only the dev server add its hot-reload socket and preamble', () => {
    const csp = electronContentSecurityPolicy(dev);
    expect(csp).toContain("connect-src 'self' ws://localhost:5173");
    expect(csp).not.toContain('unsafe-eval');
  });
});

describe('app:// file resolution', () => {
  const dir = '/opt/DearPOS/out/renderer';
  it('serves files of the built renderer', () => {
    expect(resolveAppFile(dir, 'app://console/')).toBe(`${dir}/index.html`);
    expect(resolveAppFile(dir, 'app://console/assets/index-abc.js?x=1')).toBe(
      `${dir}/assets/index-abc.js`,
    );
  });

  it('never serves anything outside it', () => {
    expect(resolveAppFile(dir, 'app://console/../../etc/passwd')).toBe(`${dir}/etc/passwd`);
    expect(resolveAppFile(dir, 'app://console/%2e%2e/%2e%2e/etc/passwd')).toBe(`${dir}/etc/passwd`);
    expect(resolveAppFile(dir, 'app://console/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(resolveAppFile(dir, 'app://console/a%5c..%5c..%5cx')).toBeNull();
    expect(resolveAppFile(dir, 'app://other/index.html')).toBeNull();
    expect(resolveAppFile(dir, 'file:///etc/passwd')).toBeNull();
    expect(resolveAppFile(dir, 'app://console/%E0%A4%A')).toBeNull();
  });
});
