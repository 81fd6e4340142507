/**
 * The browser-mode guards, kept pure so they are tested without a socket:
 * the per-launch token, the DNS-rebinding Host check, the Origin check and
 * the security headers every response carries.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, URL-safe: fits a header, a query string and a meta tag. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison, so the token cannot be guessed byte by byte. */
export function isSameToken(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads `Authorization: Bearer <token>`; anything else is no token. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header.trim());
  return match?.[1] ?? null;
}

/**
 * DNS-rebinding guard: a page on evil.example that rebinds its name to
 * 127.0.0.1 still sends `Host: evil.example`, so only our own loopback names
 * with our own port are served.
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/**
 * Browsers send Origin on cross-origin requests (and on same-origin POSTs).
 * When present it must be our own origin; no CORS headers are ever sent.
 */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/**
 * The console's Content-Security-Policy, for both transports. No inline or
 * eval'd script ever runs. Styles allow 'unsafe-inline' because Mantine
 * injects its CSS variables and component styles as <style> elements at run
 * time (checked in Chromium: with `style-src 'self'` alone, Mantine's three
 * <style> elements are refused and the console renders unstyled); that
 * permits CSS only, never script. A per-load nonce passed to MantineProvider's
 * getStyleNonce would let this go.
 */
export function contentSecurityPolicy(options: { connectSrc?: readonly string[] } = {}): string {
  const connect = ["'self'", ...(options.connectSrc ?? [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every browser-mode response, errors included. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
  };
}

/** Escapes a value for an HTML attribute (the token is URL-safe already; this is belt and braces). */
function escapeAttribute(value: string): string {
  return value.replace(/[&"<>']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Puts the per-launch token into the served index.html, where the renderer's HTTP transport reads it. */
export function injectToken(html: string, token: string): string {
  const meta = `<meta name="dearpos-token" content="${escapeAttribute(token)}">`;
  if (/<head[^>]*>/i.test(html))
    return html.replace(/<head[^>]*>/i, (head) => `${head}\n    ${meta}`);
  return `${meta}\n${html}`;
}
