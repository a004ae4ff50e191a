import path from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { DestinationStream, Logger } from 'pino';
import type { Config } from '../config.ts';
import { type Clock, systemClock } from '../lib/clock.ts';
import { pgCounter } from '../storage/counters.ts';
import { createLogger, registerRequestLog } from './logger.ts';
import { frameworkErrors, registerErrorHandling } from './plugins/errors.ts';
import { registerSecurity } from './plugins/security.ts';
import { registerStatic } from './plugins/static.ts';
import { AuthThrottle, type ThrottleOptions } from './plugins/throttle.ts';
import { adminRoutes } from './routes/admin/index.ts';
import { publicRoutes } from './routes/public/index.ts';
import { tenantRoutes } from './routes/tenant/index.ts';
import { createServices, type Services } from './services.ts';
import './types.ts';
import { PROJECT_ROOT } from './version.ts';

/**
 * While shutting down, answers to in-flight requests carry `Connection: close`, so a keep-alive
 * client lets go at once instead of holding the server open until the grace period ends.
 */
function closeConnectionsWhenStopping(app: FastifyInstance): void {
  let stopping = false;
  app.addHook('preClose', async () => {
    stopping = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (stopping) reply.header('Connection', 'close');
    done(null, payload);
  });
}

export interface RouteInfo {
  method: string;
  url: string;
}

const routeLists = new WeakMap<FastifyInstance, RouteInfo[]>();

/** Every route the app registered (method + URL pattern), e.g. for the isolation harness. */
export function registeredRoutes(app: FastifyInstance): RouteInfo[] {
  return routeLists.get(app) ?? [];
}

/**
 * TRUST_PROXY → Fastify's option. A hop count becomes "trust the nearest n addresses" (Fastify 5
 * itself refuses bare hop counts): the client address is then the first one not added by our own
 * proxies, which a client cannot spoof by sending its own X-Forwarded-For.
 */
function trustProxyOption(value: Config['trustProxy']): boolean | string | ((addr: string, hop: number) => boolean) {
  if (typeof value === 'number') return (_addr, hop) => hop < value;
  return value;
}

/** JSON request bodies above this are refused with 413 (uploads are multipart, with their own limit). */
export const BODY_LIMIT = 1024 * 1024;

export interface BuildAppOptions {
  config: Config;
  clock?: Clock;
  /** A ready pino logger, or where to write JSON lines (default stdout); `false` = silent (tests). */
  logger?: Logger | { stream: DestinationStream } | false;
  /** Built services to use instead of `createServices` (tests, benchmarks). */
  services?: Services;
  /** The built SPA (default `dist/web` of the project). */
  webDir?: string;
  throttle?: ThrottleOptions;
}

/**
 * Builds the whole server in a fixed order: config (given) → services (store inside) → HTTP plugins
 * (errors, validation, security headers, CORS, request log) → routes (public, tenant tree, admin
 * tree) → static SPA. Returns a ready-to-listen (or `inject`) Fastify instance.
 */
export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = opts;
  const clock = opts.clock ?? systemClock;
  const services = opts.services ?? (await createServices(config, clock));

  const loggerInstance: FastifyBaseLogger =
    opts.logger === false
      ? createLogger('silent')
      : opts.logger && 'stream' in opts.logger
        ? createLogger(config.logLevel, opts.logger.stream)
        : (opts.logger ?? createLogger(config.logLevel));

  const app = Fastify({
    loggerInstance,
    // One line per request, written by registerRequestLog (with the key redacted), not Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    // Keep-alive sockets idle at shutdown are closed at once; in-flight requests finish.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Behind a proxy (TRUST_PROXY), request.ip is the client's, so the throttle keys on the client.
    trustProxy: trustProxyOption(config.trustProxy),
    // A long id is an unknown id (404 from the route), not a 414 from the router.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    // Errors before routing (an undecodable URL) get the error shape and the security headers too.
    frameworkErrors,
  });

  const routes: RouteInfo[] = [];
  routeLists.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('tenant');
  app.decorateRequest('scope');
  registerErrorHandling(app, { dataDir: config.dataDir });
  // Only JSON bodies (and multipart uploads, registered by the documents routes): a text/plain body
  // is 415 `unsupported_media_type`, as documented, not a 400 from validating a string.
  app.removeContentTypeParser('text/plain');
  await registerSecurity(app, config);
  registerRequestLog(app);
  closeConnectionsWhenStopping(app);

  // Release the registry's connections (PostgreSQL) last, after the routes' own close hooks.
  app.addHook('onClose', async () => {
    await (services.close ? services.close() : services.tenants.close());
  });

  const throttle = new AuthThrottle(app.log, {
    ...(services.db ? { shared: pgCounter(services.db) } : {}),
    ...opts.throttle,
  });
  await app.register(publicRoutes, { services, throttle });
  await app.register(tenantRoutes, { services, throttle });
  await app.register(adminRoutes, { services, throttle });

  await registerStatic(app, opts.webDir ?? path.join(PROJECT_ROOT, 'dist', 'web'), config.dataDir);
  return app;
}
