/**
 * The attachments feature's routes: resumable uploads by devices (announce,
 * chunk, status) and the support desk's read of a report's attachment.
 * The device token is checked in onRequest and the chunk's size against its
 * Content-Length before any byte of the body is read (auth/guard.ts, the
 * route's bodyLimit); the rate limit counts chunks like any request.
 */
import { z } from 'zod';
import {
  ATTACHMENT_ROUTES,
  CHUNK_CONTENT_TYPE,
  UPLOAD_OFFSET_HEADER,
  announceBody,
  deskAttachmentParams,
  uploadParams,
  uploadState,
} from '../../shared/attachments/protocol.ts';
import type { Principal } from '../auth/tokens.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import { ServerError, parseInput } from '../errors.ts';
import { getEvidence } from '../evidence/service.ts';
import { reportDetailOf } from '../feedback/queries.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { deviceOf, describe, errorResponses, noQuery, routeOf } from '../http/route.ts';
import { announceUpload, appendChunk, parseUploadOffset, uploadStatus } from './service.ts';

function deskOf(principal: Principal | null): DeskPrincipal {
  if (principal?.kind !== 'desk')
    throw new ServerError('forbidden', 'This call needs a desk token.');
  return principal;
}

function uploaderOf(principal: Principal | null) {
  const device = deviceOf(principal);
  return { storeId: device.storeId, deviceId: device.deviceId };
}

export const attachmentRoutes: FeaturePlugin = (app, { ctx }) => {
  // Raw bytes, as tus sends them; the route's bodyLimit caps them.
  app.addContentTypeParser(CHUNK_CONTENT_TYPE, { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );

  app.route({
    ...routeOf(ATTACHMENT_ROUTES.announceAttachment),
    schema: {
      ...describe(ATTACHMENT_ROUTES.announceAttachment, 'attachments', 'Announce an attachment'),
      body: announceBody,
      response: { 200: uploadState, ...errorResponses },
    },
    handler: async (request, reply) => {
      const state = await announceUpload(
        ctx.store,
        uploaderOf(request.principal),
        request.body,
        ctx.now(),
      );
      void reply.header('Upload-Offset', String(state.offset));
      return state;
    },
  });

  app.route({
    ...routeOf(ATTACHMENT_ROUTES.attachmentChunk, { rawBody: true }),
    schema: {
      ...describe(
        ATTACHMENT_ROUTES.attachmentChunk,
        'attachments',
        "Send an attachment's next chunk (Upload-Offset header)",
      ),
      params: uploadParams,
      consumes: [CHUNK_CONTENT_TYPE],
      response: { 200: uploadState, ...errorResponses },
    },
    handler: async (request, reply) => {
      const offset = parseUploadOffset(request.headers[UPLOAD_OFFSET_HEADER]);
      if (!Buffer.isBuffer(request.body))
        throw new ServerError(
          'invalid_input',
          `A chunk is sent as ${CHUNK_CONTENT_TYPE}. Nothing was stored.`,
        );
      const state = await appendChunk(
        ctx.store,
        uploaderOf(request.principal),
        request.params,
        offset,
        request.body,
        ctx.now(),
      );
      void reply.header('Upload-Offset', String(state.offset));
      return state;
    },
  });

  app.route({
    ...routeOf(ATTACHMENT_ROUTES.attachmentStatus),
    schema: {
      ...describe(ATTACHMENT_ROUTES.attachmentStatus, 'attachments', "An upload's offset"),
      params: uploadParams,
      querystring: noQuery,
      response: { 200: uploadState, ...errorResponses },
    },
    handler: async (request, reply) => {
      const state = await uploadStatus(ctx.store, uploaderOf(request.principal), request.params);
      void reply.header('Upload-Offset', String(state.offset));
      return state;
    },
  });

  app.route({
    ...routeOf(ATTACHMENT_ROUTES.deskReportAttachment),
    schema: {
      ...describe(
        ATTACHMENT_ROUTES.deskReportAttachment,
        'attachments',
        "An attachment of a bug report in the desk's scope",
      ),
      params: deskAttachmentParams,
      querystring: noQuery,
      response: {
        200: {
          description: 'The file, with the media type it was uploaded as.',
          content: { 'application/octet-stream': { schema: z.string() } },
        },
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const { id, sha256 } = parseInput(deskAttachmentParams, request.params, 'The attachment');
      // The report's scope first (403 outside it), then only a file the report carries.
      const detail = await reportDetailOf(ctx.db, deskOf(request.principal), { id });
      const attachment = detail.attachments.find((a) => a.sha256 === sha256);
      if (!attachment)
        throw new ServerError('not_found', `Bug report ${id} carries no attachment ${sha256}.`);
      const file = await getEvidence(ctx.store, { sha256 }, ctx.evidenceArchiveDir);
      const name = attachment.name.replace(/[^\w.-]+/g, '_');
      return (
        reply
          .header('content-type', file.mimeType)
          // Never rendered in place: a desk downloads what a store sent.
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('x-content-type-options', 'nosniff')
          .send(file.bytes as unknown as string)
      );
    },
  });
  return Promise.resolve();
};
