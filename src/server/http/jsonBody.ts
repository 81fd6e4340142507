/**
 * JSON request bodies with a nesting limit. The limit is checked on the bytes
 * as they arrive (a preParsing stream), so a body of nested brackets is
 * refused after its first few hundred bytes instead of being read whole and
 * parsed into millions of arrays (a 60 MB `[[[…]]]` once held 3 GB). Real
 * bodies nest a handful of levels; an event payload rarely more than ten.
 *
 * The push route keeps its raw bytes (route config `rawBody`): its checks run
 * off the event loop (sync/checkPush.ts), which applies the same limit to
 * the rare push the fast shape check declines.
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServerError } from '../errors.ts';

export const MAX_JSON_DEPTH = 64;

export function depthMessage(limit: number): string {
  return `The request body nests arrays or objects more than ${limit} levels deep; no request needs that many.`;
}

/** Tracks nesting across chunks of JSON text (strings and escapes included). */
export type DepthScanner = { scan(bytes: Uint8Array): boolean };

/** A scanner whose scan() returns true as soon as the nesting passes `limit`. */
function createDepthScanner(limit: number): DepthScanner {
  let depth = 0;
  let isInString = false;
  let isEscaped = false;
  return {
    scan(bytes) {
      // Byte-wise is safe for UTF-8: bytes of multi-byte characters are all >= 0x80.
      for (let i = 0; i < bytes.length; i++) {
        const c = bytes[i]!;
        if (isInString) {
          if (isEscaped) isEscaped = false;
          else if (c === 0x5c) isEscaped = true;
          else if (c === 0x22) isInString = false;
        } else if (c === 0x22) isInString = true;
        else if (c === 0x5b || c === 0x7b) {
          if (++depth > limit) return true;
        } else if (c === 0x5d || c === 0x7d) depth--;
      }
      return false;
    },
  };
}

/** The nesting of an already parsed value passes `limit` (walked without recursion). */
export function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d + 1 > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push({ v: child, d: d + 1 });
  }
  return false;
}

/**
 * Installs the JSON parser (Fastify's own, prototype-poisoning refusal
 * included) behind the streaming nesting check, for every route except
 * those that keep raw bytes.
 */
export function installJsonBodies(app: FastifyInstance, limit = MAX_JSON_DEPTH): void {
  const defaultJsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (request: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => {
      if (request.routeOptions.config.rawBody === true) done(null, body);
      else void defaultJsonParser(request, body.toString('utf8'), done);
    },
  );
  app.addHook('preParsing', async (request, _reply, payload) => {
    if (request.routeOptions.config.rawBody === true) return payload;
    // No body (most GETs): nothing to scan.
    const { headers } = request;
    if (headers['transfer-encoding'] === undefined && !Number(headers['content-length']))
      return payload;
    const scanner = createDepthScanner(limit);
    let received = 0;
    const guarded = new Transform({
      transform(chunk: Buffer, _encoding, callback: TransformCallback) {
        received += chunk.length;
        (guarded as unknown as { receivedEncodedLength: number }).receivedEncodedLength = received;
        if (!scanner.scan(chunk)) return callback(null, chunk);
        // Stop reading: the rest of the body is discarded unread once the refusal is sent.
        payload.unpipe(guarded);
        callback(new ServerError('invalid_input', depthMessage(limit)));
      },
    });
    // Fastify listens for the first error; later ones (a write racing the unpipe) must not crash the process.
    guarded.on('error', () => undefined);
    payload.on('error', (error) => guarded.destroy(error));
    return payload.pipe(guarded);
  });
}
