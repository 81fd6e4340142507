/**
 * The evidence feature's routes: a device uploads each file once, addressed
 * by its SHA-256, before pushing the events that cite it; auditors and
 * admins read files back.
 */
import { z } from 'zod';
import { EVIDENCE_ROUTES, evidenceReceipt } from '../../shared/checklists/evidenceProtocol.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { deviceOf, describe, errorResponses, noQuery, routeOf } from '../http/route.ts';
import {
  evidenceParams,
  evidenceUpload,
  getEvidence,
  getStoreEvidence,
  putEvidence,
} from './service.ts';

/** An evidence file's bytes, as both download routes answer them. */
const EVIDENCE_BYTES = {
  description: 'The file, with its content type (image/png, image/jpeg or image/webp).',
  content: { 'application/octet-stream': { schema: z.string() } },
};

export const evidenceRoutes: FeaturePlugin = (app, { ctx }) => {
  app.route({
    ...routeOf(EVIDENCE_ROUTES.evidenceUpload),
    schema: {
      ...describe(EVIDENCE_ROUTES.evidenceUpload, 'evidence', 'Upload an evidence file'),
      params: evidenceParams,
      body: evidenceUpload,
      response: { 200: evidenceReceipt, ...errorResponses },
    },
    handler: (request) =>
      putEvidence(
        ctx.store,
        deviceOf(request.principal).storeId,
        request.params,
        request.body,
        ctx.now(),
      ),
  });

  app.route({
    ...routeOf(EVIDENCE_ROUTES.evidenceDownload),
    schema: {
      ...describe(EVIDENCE_ROUTES.evidenceDownload, 'evidence', "An evidence file's bytes"),
      params: evidenceParams,
      querystring: noQuery,
      response: {
        200: EVIDENCE_BYTES,
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const file = await getEvidence(ctx.store, request.params, ctx.evidenceArchiveDir);
      // Bytes, sent as they are (the response schema above only describes them for OpenAPI).
      return reply.header('content-type', file.mimeType).send(file.bytes as unknown as string);
    },
  });
  app.route({
    ...routeOf(EVIDENCE_ROUTES.storeEvidenceDownload),
    schema: {
      ...describe(
        EVIDENCE_ROUTES.storeEvidenceDownload,
        'evidence',
        "An evidence file a record of this device's store cites",
      ),
      params: evidenceParams,
      querystring: noQuery,
      response: {
        200: EVIDENCE_BYTES,
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const file = await getStoreEvidence(
        ctx.store,
        deviceOf(request.principal).storeId,
        request.params,
        ctx.evidenceArchiveDir,
      );
      return reply.header('content-type', file.mimeType).send(file.bytes as unknown as string);
    },
  });
  return Promise.resolve();
};
