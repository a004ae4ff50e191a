import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../../lib/errors.ts';

/** The one error body (DESIGN.md §6). */
export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** Fastify's own 4xx errors, mapped to our stable codes. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_request',
};

const STATUS_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_attempts',
};

/**
 * One error handler for the whole app (set on the root instance, so every route plugin inherits it):
 * AppError → its status/code/message; validation → 400 invalid_request; Fastify's 4xx → a stable
 * code; anything else → 500 with a generic message (the details go to the log, never to the client).
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    if (err instanceof AppError) {
      if (err.status === 500) request.log.error({ err }, 'request failed');
      void reply.headers(err.headers);
      return reply.code(err.status).send(errorBody(err.code, err.status >= 500 ? publicMessage(err) : err.message));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      return reply.code(400).send(errorBody('invalid_request', validationMessage(err)));
    }
    const fastifyErr = err as FastifyError;
    const status = fastifyErr.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = FASTIFY_CODES[fastifyErr.code] ?? STATUS_CODES[status] ?? 'invalid_request';
      return reply.code(status).send(errorBody(code, fastifyErr.message));
    }
    request.log.error({ err }, 'request failed');
    return reply.code(500).send(errorBody('internal_error', 'Internal server error.'));
  });
}

export function notFoundBody(method: string, url: string): ErrorBody {
  return errorBody('not_found', `No route ${method} ${url.split('?')[0]}.`);
}

/** A 5xx AppError keeps its code but not internals like file paths, unless it was written for users. */
function publicMessage(err: AppError): string {
  return err.code === 'corrupt_file' ? 'Stored data could not be read; the operator has been told.' : err.message;
}

function validationMessage(err: FastifyError): string {
  const issues = err.validation ?? [];
  const parts = issues.slice(0, 5).map((issue) => {
    const where = `${err.validationContext ?? 'request'}${issue.instancePath.replaceAll('/', '.')}`.replace(/\.$/, '');
    return `${where}: ${issue.message ?? 'invalid'}`;
  });
  return parts.length ? `Invalid request: ${parts.join('; ')}.` : 'Invalid request.';
}
