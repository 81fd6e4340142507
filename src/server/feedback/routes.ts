/**
 * The support desk's routes (desk token): the inbox, a report's detail and
 * its attachments' bytes, the feature requests, and the triage actions; and
 * the chain's open feature requests for a store console (device token). Query and path parameters are
 * read by the queries themselves, so a malformed one is 400 naming it (never
 * 500) and an out-of-scope one 403 `scope_denied`.
 */
import {
  FEEDBACK_DESK_ROUTES,
  attachmentParams,
  deskFeedbackAction,
  deskFeedbackActionResult,
  inboxPage,
  inboxQuery,
  reportAttachmentFile,
  reportDetail,
  reportParams,
  requestsPage,
  requestsQuery,
} from '../../shared/feedback/deskProtocol.ts';
import {
  FEEDBACK_STORE_ROUTES,
  chainRequestsQuery,
  chainRequestsResponse,
} from '../../shared/feedback/storeProtocol.ts';
import type { Principal } from '../auth/tokens.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import { ServerError } from '../errors.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, deviceOf, errorResponses, routeOf, serviceReadsBody } from '../http/route.ts';
import { takeTriageAction } from './actions.ts';
import { inboxPageOf, reportAttachmentOf, reportDetailOf, requestsPageOf } from './queries.ts';
import { chainRequestsOf } from './storeQueries.ts';

function deskOf(principal: Principal | null): DeskPrincipal {
  if (principal?.kind !== 'desk')
    throw new ServerError('forbidden', 'This call needs a desk token.');
  return principal;
}

const readsItself = () => (data: unknown) => ({ value: data });

export const feedbackDeskRoutes: FeaturePlugin = (app, { ctx }) => {
  app.route({
    ...routeOf(FEEDBACK_DESK_ROUTES.deskFeedbackReports),
    schema: {
      ...describe(
        FEEDBACK_DESK_ROUTES.deskFeedbackReports,
        'feedback',
        'The inbox: bug reports in scope, filtered, searched, sorted, paged',
      ),
      querystring: inboxQuery,
      response: { 200: inboxPage, ...errorResponses },
    },
    validatorCompiler: readsItself,
    handler: (request) => inboxPageOf(ctx.db, deskOf(request.principal), request.query, ctx.now()),
  });
  app.route({
    ...routeOf(FEEDBACK_DESK_ROUTES.deskFeedbackReport),
    schema: {
      ...describe(
        FEEDBACK_DESK_ROUTES.deskFeedbackReport,
        'feedback',
        "One bug report: its text, attachments, context and the desk's and store's comments",
      ),
      params: reportParams,
      response: { 200: reportDetail, ...errorResponses },
    },
    validatorCompiler: readsItself,
    handler: (request) => reportDetailOf(ctx.db, deskOf(request.principal), request.params),
  });
  app.route({
    ...routeOf(FEEDBACK_DESK_ROUTES.deskFeedbackAttachment),
    schema: {
      ...describe(
        FEEDBACK_DESK_ROUTES.deskFeedbackAttachment,
        'feedback',
        'One attachment of a bug report with its bytes (base64): the screenshot the detail shows, a file to download',
      ),
      params: attachmentParams,
      response: { 200: reportAttachmentFile, ...errorResponses },
    },
    validatorCompiler: readsItself,
    handler: (request) =>
      reportAttachmentOf(
        ctx.store,
        deskOf(request.principal),
        request.params,
        ctx.evidenceArchiveDir,
      ),
  });
  app.route({
    ...routeOf(FEEDBACK_STORE_ROUTES.storeFeedbackRequests),
    schema: {
      ...describe(
        FEEDBACK_STORE_ROUTES.storeFeedbackRequests,
        'feedback',
        "The chain's (or the region's) open feature requests for a store console: title, status and votes, no store's own words",
      ),
      querystring: chainRequestsQuery,
      response: { 200: chainRequestsResponse, ...errorResponses },
    },
    validatorCompiler: readsItself,
    handler: (request) =>
      chainRequestsOf(ctx.db, deviceOf(request.principal).storeId, request.query, ctx.now()),
  });
  app.route({
    ...routeOf(FEEDBACK_DESK_ROUTES.deskFeedbackRequests),
    schema: {
      ...describe(
        FEEDBACK_DESK_ROUTES.deskFeedbackRequests,
        'feedback',
        'Feature requests in scope with their votes (one per store)',
      ),
      querystring: requestsQuery,
      response: { 200: requestsPage, ...errorResponses },
    },
    validatorCompiler: readsItself,
    handler: (request) =>
      requestsPageOf(ctx.db, deskOf(request.principal), request.query, ctx.now()),
  });
  app.route({
    ...routeOf(FEEDBACK_DESK_ROUTES.deskFeedbackAction),
    schema: {
      ...describe(
        FEEDBACK_DESK_ROUTES.deskFeedbackAction,
        'feedback',
        'A triage action by the user signed in at the desk, appended to the central log',
      ),
      body: deskFeedbackAction,
      response: { 200: deskFeedbackActionResult, ...errorResponses },
    },
    validatorCompiler: serviceReadsBody,
    handler: async (request) => {
      const out = await takeTriageAction(
        ctx.db,
        ctx.key,
        deskOf(request.principal),
        request.body,
        ctx.now(),
      );
      await ctx.store.durable();
      return out;
    },
  });
  return Promise.resolve();
};
