import type { FastifyInstance } from 'fastify';
import pino, { type DestinationStream, type Logger } from 'pino';
import { redactKey, redactKeysInText, redactUrl } from './redact.ts';

/**
 * The server's pino logger: JSON lines; secrets-bearing headers censored should anything ever log a
 * raw request. Requests are logged by `registerRequestLog`, one line each, with the key redacted.
 * Every line, whatever it holds (an error's message and stack naming a tenant's folder, a path in a
 * detail), passes `redactKeysInText` on its way out: no access key is ever written whole.
 */
export function createLogger(level: string, stream?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'opsorchestra' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-admin-secret"]',
          'req.headers.cookie',
          'headers.authorization',
          'headers["x-admin-secret"]',
          'access_key',
          '*.access_key',
        ],
        censor: '[redacted]',
      },
      hooks: { streamWrite: redactKeysInText },
    },
    stream,
  );
}

/** One JSON line per request, written when the response is done. */
export function registerRequestLog(app: FastifyInstance): void {
  // Callback style (no promise per request on this hot path).
  app.addHook('onResponse', (request, reply, done) => {
    const tenant = request.tenant as { key: string } | undefined;
    request.log.info(
      {
        method: request.method,
        url: redactUrl(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        address: request.ip,
        ...(tenant ? { tenant: redactKey(tenant.key) } : {}),
      },
      'request',
    );
    done();
  });
}
