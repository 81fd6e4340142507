/**
 * The release desk's routes (a Fastify plugin): the desk token's role and
 * scope and the acting user are checked by each action (service.ts) before
 * anything is written; bodies are read by the service so that every bad
 * field is named at once (400 invalid_input with fieldErrors).
 */
import { z } from 'zod';
import {
  RELEASE_DESK_ROUTES,
  blockRequest,
  committeeRequest,
  lifecycleMoveRequest,
  promoteRequest,
  releaseDeskActionResponse,
  releaseDeskState,
  releaseParams,
  ringPolicyRequest,
  signOffRequest,
  stageRequest,
  unblockRequest,
  windowsRequest,
} from '../../shared/releases/deskProtocol.ts';
import { releaseCommittee } from '../../shared/releases/committee.ts';
import { RINGS } from '../../shared/domain/releases.ts';
import type { Principal } from '../auth/tokens.ts';
import { ServerError } from '../errors.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, routeOf, serviceReadsBody } from '../http/route.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import {
  blockRelease,
  moveLifecycle,
  promoteRelease,
  releaseDeskState as readState,
  scheduleWindows,
  setCommittee,
  setRingPolicy,
  signOff,
  stageRollout,
  unblockRelease,
  type ReleaseDeskContext,
} from './service.ts';

function deskOf(principal: Principal | null): DeskPrincipal {
  if (principal?.kind !== 'desk')
    throw new ServerError('forbidden', 'This call needs a desk token.');
  return principal;
}

const passThrough = () => (data: unknown) => ({ value: data });

export const releaseDeskRoutes: FeaturePlugin = (app, { ctx }) => {
  const r = RELEASE_DESK_ROUTES;
  const context = (): ReleaseDeskContext => ({ db: ctx.db, key: ctx.key, now: ctx.now() });

  app.route({
    ...routeOf(r.releaseDeskState),
    schema: {
      ...describe(
        r.releaseDeskState,
        'release desk',
        "A release's lifecycle, committee, gates per ring, rollouts, windows and promotions",
      ),
      params: releaseParams,
      response: { 200: releaseDeskState, ...errorResponses },
    },
    validatorCompiler: passThrough,
    handler: (request) => readState(ctx.db, deskOf(request.principal), request.params, ctx.now()),
  });

  const actions = [
    [
      r.releaseDeskMove,
      lifecycleMoveRequest,
      'Move the release along its lifecycle',
      moveLifecycle,
    ],
    [r.releaseDeskBlock, blockRequest, 'Block the release with a reason', blockRelease],
    [r.releaseDeskUnblock, unblockRequest, 'Unblock the release back to its state', unblockRelease],
    [
      r.releaseDeskPromote,
      promoteRequest,
      "Point a ring at the release, gated by the previous ring's evidence",
      promoteRelease,
    ],
    [
      r.releaseDeskStage,
      stageRequest,
      "Set the staged percentage of a ring's stores",
      stageRollout,
    ],
    [
      r.releaseDeskWindows,
      windowsRequest,
      'Schedule a deployment window for stores or a cohort',
      scheduleWindows,
    ],
    [
      r.releaseDeskSignOff,
      signOffRequest,
      "A committee member's sign-off on the move to general",
      signOff,
    ],
  ] as const;
  for (const [def, bodySchema, summary, action] of actions) {
    app.route({
      ...routeOf(def),
      schema: {
        ...describe(def, 'release desk', summary),
        params: releaseParams,
        body: bodySchema,
        response: { 200: releaseDeskActionResponse, ...errorResponses },
      },
      validatorCompiler: passThrough,
      handler: async (request) => {
        const out = await action(
          context(),
          deskOf(request.principal),
          request.params,
          request.body,
        );
        await ctx.store.durable();
        return out;
      },
    });
  }

  app.route({
    ...routeOf(r.releaseDeskCommittee),
    schema: {
      ...describe(
        r.releaseDeskCommittee,
        'release desk',
        "Name a release's committee, or the default one",
      ),
      body: committeeRequest,
      response: {
        200: z.object({ logIndex: z.number().int(), committee: releaseCommittee }).strict(),
        ...errorResponses,
      },
    },
    validatorCompiler: serviceReadsBody,
    handler: async (request) => {
      const out = await setCommittee(context(), deskOf(request.principal), request.body);
      await ctx.store.durable();
      return out;
    },
  });

  app.route({
    ...routeOf(r.releaseDeskRingPolicy),
    schema: {
      ...describe(
        r.releaseDeskRingPolicy,
        'release desk',
        "Set the share of go decisions a ring's promotion needs",
      ),
      body: ringPolicyRequest,
      response: {
        200: z
          .object({
            logIndex: z.number().int(),
            ring: z.enum(RINGS),
            minGoPercent: z.number().int(),
          })
          .strict(),
        ...errorResponses,
      },
    },
    validatorCompiler: serviceReadsBody,
    handler: async (request) => {
      const out = await setRingPolicy(context(), deskOf(request.principal), request.body);
      await ctx.store.durable();
      return out;
    },
  });
  return Promise.resolve();
};
