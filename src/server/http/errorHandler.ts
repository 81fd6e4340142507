/**
 * Every error leaves the server as `{code, message, ...}` (shared protocolError),
 * and is counted by code for /metrics. Stacks and internals go to the log only.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ProtocolError } from '../../shared/sync/protocol.ts';
import { PublishRejected } from '../catalog/deployments.ts';
import { ImportRejected } from '../catalog/service.ts';
import { ServerError } from '../errors.ts';

const PARTS: Record<string, string> = {
  body: 'The request body',
  querystring: 'The query',
  params: 'The address',
  headers: 'The headers',
};

type ValidationIssue = { instancePath?: string; message?: string };

export function installErrorHandler(
  app: FastifyInstance,
  onRefusal: (code: ProtocolError['code']) => void,
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let status: number;
    let body: ProtocolError;
    if (error instanceof ServerError) {
      status = error.status;
      body =
        error instanceof ImportRejected
          ? { ...error.toBody(), rowErrors: error.rowErrors }
          : error instanceof PublishRejected
            ? { ...error.toBody(), fieldErrors: error.fieldErrors }
            : error.toBody();
      if (error.code === 'rate_limited' && error.extra.retryAfterSeconds)
        void reply.header('Retry-After', String(error.extra.retryAfterSeconds));
    } else if (Array.isArray(error.validation) && error.validation.length > 0) {
      const issue = error.validation[0] as ValidationIssue;
      const path = (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
      status = 400;
      body = {
        code: 'invalid_input',
        message: `${PARTS[error.validationContext ?? 'body'] ?? 'The request'} is not valid${path ? ` at ${path}` : ''}: ${issue.message ?? 'malformed'}`,
      };
    } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      status = 413;
      body = {
        code: 'payload_too_large',
        message: 'The request body is too large; send fewer events per push.',
      };
    } else if (
      typeof error.statusCode === 'number' &&
      error.statusCode >= 400 &&
      error.statusCode < 500
    ) {
      status = 400;
      body = { code: 'invalid_input', message: `The request could not be read: ${error.message}` };
    } else {
      request.log.error({ err: error }, 'request failed');
      status = 500;
      body = {
        code: 'internal',
        message: 'The server failed to handle this request; nothing was stored. Try again later.',
      };
    }
    onRefusal(body.code);
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    onRefusal('not_found');
    return reply.status(404).send({
      code: 'not_found',
      message: `There is no ${request.method} ${request.url.split('?')[0]}.`,
    });
  });
}
