import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, CorruptFileError, relativePaths, StorageError, storageError } from '../../lib/errors.ts';
import { API_HEADERS } from './security.ts';

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
 * AppError → its status/code/message; a filesystem error → a storage code (EROFS/EACCES/EIO… → 503
 * `storage_unavailable`, ENOSPC/EDQUOT → 507 `storage_full`); validation → 400 invalid_request;
 * Fastify's 4xx → a stable code; anything else → 500 with a generic message. Details (the errno, the
 * file relative to the data directory) go to the log, never to the client.
 */
export function registerErrorHandling(app: FastifyInstance, opts: { dataDir?: string } = {}): void {
  const dataDir = opts.dataDir ?? '';
  app.setErrorHandler((raw: FastifyError | AppError | Error, request, reply) => {
    const err = storageError(raw) ?? raw;
    if (err instanceof AppError) {
      if (err.status >= 500) logFault(request, err, dataDir);
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

/** One log line per server-side fault: the code, the errno, the file relative to the data directory. */
function logFault(request: FastifyRequest, err: AppError, dataDir: string): void {
  const cause = err.cause as (NodeJS.ErrnoException & { path?: string }) | undefined;
  const file = err instanceof CorruptFileError ? err.path : cause?.path;
  const detail = relativePaths(err instanceof StorageError ? (cause?.message ?? err.message) : err.message, dataDir);
  request.log.error(
    {
      code: err.code,
      ...(err instanceof StorageError ? { errno: err.errno } : {}),
      ...(file ? { file: relativePaths(file, dataDir) } : {}),
      detail,
    },
    err instanceof StorageError || err.code === 'corrupt_file' ? 'storage fault' : 'request failed',
  );
}

/**
 * Fastify's `frameworkErrors`: errors raised before routing (a URL the router cannot decode, e.g.
 * `/api/documents/%c0%ae`) answered in the one error shape with the security headers, instead of
 * Fastify's bare default.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const code = STATUS_CODES[status] ?? 'invalid_request';
  const message = error.code === 'FST_ERR_BAD_URL' ? 'The URL could not be decoded.' : 'Invalid request.';
  void reply.code(status).headers(API_HEADERS).send(errorBody(code, message));
}

export function notFoundBody(method: string, url: string): ErrorBody {
  return errorBody('not_found', `No route ${method} ${url.split('?')[0]}.`);
}

/** A 5xx AppError keeps its code but not internals like file paths, unless it was written for users. */
function publicMessage(err: AppError): string {
  return err.code === 'corrupt_file' ? CORRUPT_PUBLIC_MESSAGE : err.message;
}

export const CORRUPT_PUBLIC_MESSAGE = 'Stored data could not be read; the operator has been told.';

function validationMessage(err: FastifyError): string {
  const issues = err.validation ?? [];
  const parts = issues.slice(0, 5).map((issue) => {
    const where = `${err.validationContext ?? 'request'}${issue.instancePath.replaceAll('/', '.')}`.replace(/\.$/, '');
    return `${where}: ${issue.message ?? 'invalid'}`;
  });
  return parts.length ? `Invalid request: ${parts.join('; ')}.` : 'Invalid request.';
}
