import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { electronContentSecurityPolicy, isAllowedExternalUrl, isTrustedSender, type RendererOrigin } from './guards.ts';

const packaged: RendererOrigin = { kind: 'file', indexFileUrl: pathToFileURL('/opt/DearPOS/resources/app.asar/out/renderer/index.html').href };
const dev: RendererOrigin = { kind: 'dev', url: 'http://localhost:5173/' };

describe('Electron sender check', () => {
  it('trusts our own packaged page in the top frame, with any hash route', () => {
    expect(isTrustedSender({ frameUrl: `${packaged.indexFileUrl}#/fleet`, isMainFrame: true }, packaged)).toBe(true);
  });

  it('refuses iframes, other files, other origins and missing URLs', () => {
    expect(isTrustedSender({ frameUrl: packaged.indexFileUrl, isMainFrame: false }, packaged)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'file:///tmp/evil.html', isMainFrame: true }, packaged)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'https://evil.example/out/renderer/index.html', isMainFrame: true }, packaged)).toBe(false);
    expect(isTrustedSender({ frameUrl: undefined, isMainFrame: true }, packaged)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'not a url', isMainFrame: true }, packaged)).toBe(false);
  });

  it('trusts the dev server origin only while developing', () => {
    expect(isTrustedSender({ frameUrl: 'http://localhost:5173/#/releases', isMainFrame: true }, dev)).toBe(true);
    expect(isTrustedSender({ frameUrl: 'http://localhost:5174/', isMainFrame: true }, dev)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'http://localhost:5173/', isMainFrame: true }, packaged)).toBe(false);
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
    expect(csp).toContain('connect-src \'self\' ws://localhost:5173');
    expect(csp).not.toContain('unsafe-eval');
  });
});
