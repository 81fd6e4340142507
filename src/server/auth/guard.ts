/**
 * Authentication, rate limiting and authorization, as onRequest hooks on
 * every route: they run before Fastify reads a single byte of the body, so
 * an unauthenticated request costs one token lookup however large its body.
 *
 * Order: authenticate (remember the principal or the failure, refuse
 * nothing yet) → rate limit (keyed by that principal, or the address) →
 * authorize (refuse the failure or the wrong kind of token). Refusing before
 * the rate limit would let token guessing run unthrottled.
 */
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertNever } from '../../shared/errors.ts';
import type { RouteAuth } from '../../shared/sync/protocol.ts';
import { ServerError } from '../errors.ts';
import type { ServerContext } from '../http/context.ts';
import { rateLimitKey, rateLimitWindow, type RateLimitOptions } from '../rateLimit.ts';
import { authenticate, bearerToken, type Principal } from './tokens.ts';

declare module 'fastify' {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface FastifyRequest {
    /** Why authentication failed; refused by the authorization hook after the rate limit counted it. */
    authFailure: ServerError | null;
  }
}

function isAllowed(auth: RouteAuth, principal: Principal | null): boolean {
  switch (auth) {
    case 'public':
    case 'enrollment':
      return true;
    case 'device':
    case 'deviceRenewal':
      return principal?.kind === 'device';
    case 'auditor':
      return principal?.kind === 'auditor' || principal?.kind === 'admin';
    case 'admin':
      return principal?.kind === 'admin';
    case 'bootstrap':
      return principal?.kind === 'bootstrap';
    case 'desk':
    case 'deskRenewal':
      return principal?.kind === 'desk';
    default:
      return assertNever(auth, 'route auth');
  }
}

/** "A device", "An auditor", "An admin". */
function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'An' : 'A'} ${word}`;
}

function routeAuth(request: FastifyRequest): RouteAuth {
  return request.routeOptions.config.auth ?? 'public';
}

export async function installGuard(
  app: FastifyInstance,
  ctx: ServerContext,
  rateLimit: RateLimitOptions | false,
): Promise<void> {
  app.decorateRequest('principal', null);
  app.decorateRequest('authFailure', null);

  app.addHook('onRequest', async (request) => {
    const auth = routeAuth(request);
    if (auth === 'public' || auth === 'enrollment') return;
    try {
      request.principal = await authenticate(ctx.db, bearerToken(request.headers.authorization), {
        now: ctx.now(),
        policy: ctx.tokenPolicy,
        isRenewal: auth === 'deviceRenewal' || auth === 'deskRenewal',
      });
    } catch (error) {
      if (!(error instanceof ServerError)) throw error;
      request.authFailure = error;
    }
  });

  if (rateLimit !== false) {
    const { max, timeWindow } = rateLimitWindow(rateLimit);
    await app.register(fastifyRateLimit, {
      global: false,
      max,
      timeWindow,
      cache: rateLimit.cacheSize ?? 20_000,
      keyGenerator: rateLimitKey,
      errorResponseBuilder: (_request, context) => {
        const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
        return new ServerError('rate_limited', `Too many requests; retry in ${seconds} s.`, {
          retryAfterSeconds: seconds,
        });
      },
    });
    app.addHook('onRequest', app.rateLimit());
  }

  app.addHook('onRequest', (request, _reply, done) => {
    done(authorizationFailure(request) ?? undefined);
  });
}

/** Why this caller may not call this route, or null when it may. */
function authorizationFailure(request: FastifyRequest): ServerError | null {
  const auth = routeAuth(request);
  if (auth === 'public' || auth === 'enrollment') return null;
  if (request.authFailure) return request.authFailure;
  const principal = request.principal;
  if (!principal) return new ServerError('unauthorized', 'This request needs a token.');
  if (isAllowed(auth, principal)) return null;
  if (principal.kind === 'bootstrap')
    return new ServerError(
      'bootstrap_only',
      'The bootstrap token may only create the first named administrator (POST /v1/admin/bootstrap); act with a named administrator’s admin token.',
    );
  return new ServerError(
    'forbidden',
    `${withArticle(principal.kind)} token may not call ${request.method} ${request.routeOptions.url ?? request.url}.`,
  );
}
