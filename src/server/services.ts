import { type AnalystService, createAnalystService } from '../analyst/service.ts';
import { createToolPorts } from '../analyst/wiring.ts';
import type { Config } from '../config.ts';
import { createDocumentService, type DocumentService } from '../documents/service.ts';
import { createGraphService, type GraphService } from '../graph/tenant-graph.ts';
import type { Clock } from '../lib/clock.ts';
import { PgDatabase } from '../storage/pg.ts';
import { createTenantService, type TenantService } from '../tenants/service.ts';
import { createLogger } from './logger.ts';

/**
 * Everything the routes use, built once at start (config → store → services → plugins → routes)
 * and handed to each route plugin. Each part adds its service here (one field) and builds it in
 * `createServices` below.
 */
export interface Services {
  config: Config;
  clock: Clock;
  tenants: TenantService;
  documents: DocumentService;
  graph: GraphService;
  analyst: AnalystService;
  /**
   * With `DATABASE_URL`: the one database (pool) of every store; undefined in file mode. Migrated
   * before the services are handed out; closed by `close()`.
   */
  db: PgDatabase | undefined;
  /** Releases the database (after the routes' own close hooks). */
  close(): Promise<void>;
}

export async function createServices(config: Config, clock: Clock): Promise<Services> {
  const db = config.databaseUrl
    ? new PgDatabase(config.databaseUrl, config.databaseSchema, undefined, config.databasePoolSize)
    : undefined;
  // Applies pending migrations under an advisory lock: instances starting together wait for each other.
  await db?.connect();
  const tenants = createTenantService({ dataDir: config.dataDir, clock, db });
  const graph = createGraphService({ config, clock });
  await graph.init();
  const documents = createDocumentService({
    config,
    clock,
    graph,
    // PostgreSQL full-text search with DATABASE_URL (every instance searches the same passages).
    ...(db && config.databaseUrl
      ? { search: { kind: 'postgres' as const, url: config.databaseUrl, schema: db.schema } }
      : {}),
    db,
    leaseSeconds: config.processingLeaseS,
    pool: {
      size: config.parseWorkers,
      timeoutMs: config.parseTimeoutS * 1000,
      maxOldGenerationSizeMb: config.parseWorkerHeapMb,
    },
  });
  const log = createLogger(config.logLevel).child({ component: 'analyst' });
  // Loaded only when configured: the OpenTelemetry stack costs start-up time nobody else should pay.
  const langfuse = config.langfuse
    ? (await import('../traces/langfuse.ts')).createLangfuseExporter(config.langfuse, log)
    : null;
  const analyst = createAnalystService({
    config,
    clock,
    tenants,
    ports: createToolPorts({ documents, graph }),
    log,
    langfuse,
  });
  return {
    config,
    clock,
    tenants,
    documents,
    graph,
    analyst,
    db,
    async close() {
      await tenants.close();
      await db?.close();
    },
  };
}
