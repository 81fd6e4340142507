/**
 * Helpers every feature plugin uses to declare a route from the route table
 * (routes.ts): its method, URL, body limit and auth, the error responses
 * every route shares, and the OpenAPI description.
 */
import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { $ZodType } from 'zod/v4/core';
import { protocolError, type RouteAuth } from '../../shared/sync/protocol.ts';
import type { Principal } from '../auth/tokens.ts';
import { ServerError } from '../errors.ts';
import { bodyLimitOf, type RouteDef } from '../routes.ts';

declare module 'fastify' {
  // Module augmentation has to be an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface FastifyContextConfig {
    /** Who may call the route (auth/guard.ts checks it in onRequest, before any body is read). */
    auth?: RouteAuth;
    /** The body reaches the handler as raw bytes (the push). */
    rawBody?: boolean;
  }
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface FastifyRequest {
    /** The authenticated caller; null on public routes. */
    principal: Principal | null;
  }
}

/** Method, URL, body limit and auth of a route table entry, for `app.route({...routeOf(def), …})`. */
export function routeOf(def: RouteDef, options: { rawBody?: boolean } = {}) {
  return {
    method: def.method,
    url: def.url,
    bodyLimit: bodyLimitOf(def),
    config: { auth: def.auth, rawBody: options.rawBody === true },
  };
}

/** Every refusal has the protocol's error body. */
export const errorResponses = { '4xx': protocolError, '5xx': protocolError } as const;

/** A route that takes no query parameters refuses any. */
export const noQuery = z.object({}).strict();

/** OpenAPI tags, summary and security of a route. */
export function describe(def: RouteDef, tag: string, summary: string) {
  return {
    tags: [tag],
    summary,
    ...(def.auth === 'public' || def.auth === 'enrollment' ? {} : { security: [{ bearer: [] }] }),
  };
}

/**
 * For routes whose service reads the body itself (to list every bad field or
 * row at once, or to check a push off the event loop): the body schema is
 * published in OpenAPI but Fastify does not validate it; other parts are.
 */
export function serviceReadsBody<T>(
  route: Parameters<FastifySchemaCompiler<T>>[0],
): ReturnType<FastifySchemaCompiler<T>> {
  if (route.httpPart === 'body') return (data: unknown) => ({ value: data });
  return validatorCompiler(route as unknown as Parameters<FastifySchemaCompiler<$ZodType>>[0]);
}

/** The device behind a device route (the guard has already refused anything else). */
export function deviceOf(principal: Principal | null): Extract<Principal, { kind: 'device' }> {
  if (principal?.kind !== 'device')
    throw new ServerError('forbidden', 'This call needs a device token.');
  return principal;
}
