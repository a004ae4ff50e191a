/**
 * The production entry point (`npm start` → scripts/start.mjs → here; `npm run dev` watches it).
 * Validates the configuration and DATA_DIR before anything listens — a bad value stops the start with
 * one line on stderr and exit 1 — then serves until SIGTERM/SIGINT and shuts down gracefully.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { systemClock } from '../lib/clock.ts';
import type { Services } from './services.ts';

/** In-flight requests get this long to finish after a stop signal; then their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`opsorchestra: ${message}\n`);
  process.exit(1);
}

/** Creates DATA_DIR if needed and proves it writable with a probe file; a problem → one line. */
async function checkDataDir(dataDir: string): Promise<string | undefined> {
  try {
    await fs.promises.mkdir(dataDir, { recursive: true, mode: 0o700 });
    const probe = path.join(dataDir, `.write-probe-${process.pid}`);
    await fs.promises.writeFile(probe, 'ok');
    await fs.promises.rm(probe, { force: true });
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return `DATA_DIR ${dataDir} cannot be created or written (${code}). Set DATA_DIR to a writable folder.`;
  }
}

function gracefulShutdown(app: FastifyInstance): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const cut = setTimeout(() => {
      app.log.warn({ grace_ms: SHUTDOWN_GRACE_MS }, 'in-flight requests did not finish in time; closing connections');
      app.server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    cut.unref();
    // close() stops listening, waits for in-flight requests, then runs every onClose hook (flushes).
    app.close().then(
      () => {
        clearTimeout(cut);
        app.log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        app.log.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }

  const problem = await checkDataDir(config.dataDir);
  if (problem) fail(problem);

  // File mode: one server per DATA_DIR, held for this process's life (released on exit). With
  // DATABASE_URL the state is in PostgreSQL and any number of instances may run.
  if (!config.databaseUrl) {
    const { acquireDataDirLock } = await import('../storage/datadir-lock.ts');
    try {
      acquireDataDirLock(config.dataDir);
    } catch (err) {
      fail((err as Error).message);
    }
  }

  // The registry first, with the tenant service alone (light): a corrupt registry stops the start with
  // its path instead of failing every request.
  const { createTenantService } = await import('../tenants/service.ts');
  const registry = createTenantService({
    dataDir: config.dataDir,
    clock: systemClock,
    databaseUrl: config.databaseUrl,
    databaseSchema: config.databaseSchema,
  });
  try {
    await registry.list({ all: true });
  } catch (err) {
    fail((err as Error).message.replace(/\s*\n\s*/g, ' '));
  } finally {
    await registry.close().catch(() => undefined);
  }

  // The app and its services (and their heavy libraries) load only once the configuration is good,
  // so a bad value is reported at once.
  const { createServices } = await import('./services.ts');
  const { buildApp } = await import('./app.ts');
  let services: Services;
  try {
    services = await createServices(config, systemClock);
    // Warm the registry cache: the first request does not pay for reading it.
    await services.tenants.list({ all: true });
  } catch (err) {
    fail((err as Error).message.replace(/\s*\n\s*/g, ' '));
  }

  const app = await buildApp({ config, services });
  if (config.legacyTenantKeys.length > 0) {
    app.log.warn(
      { keys: config.legacyTenantKeys.length },
      'VALID_TENANT_KEYS is set but grants nothing; run `npm run admin -- import-legacy-keys` to turn those keys into tenants',
    );
  }
  if (!config.adminSecret) app.log.info('ADMIN_SECRET is not set: the admin API answers 503 admin_disabled');

  gracefulShutdown(app);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    fail(`cannot listen on ${config.host}:${config.port} (${e.code ?? e.message}).`);
  }
  // Documents the previous run left `processing` (a crash, a kill): read once more in the background,
  // after start-up and never inside a request; a second interruption marks them failed.
  setTimeout(() => {
    services.documents.recoverInterrupted(config.dataDir).then(
      (r) => {
        if (r.retried || r.failed) app.log.info(r, 'documents interrupted by the last stop: retried once or failed');
      },
      (err: unknown) => app.log.error({ err }, 'could not recover interrupted documents'),
    );
  }, 500).unref();
}

await main();
