import fs from 'node:fs';
import path from 'node:path';

/**
 * Configuration, parsed once from the environment (and `.env` in the working directory, which never
 * overrides a variable that is already set) and validated. Nothing else reads `process.env`.
 * An empty variable counts as unset.
 */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  adminSecret: string | undefined;
  anthropicApiKey: string | undefined;
  anthropicModel: string;
  anthropicBaseUrl: string | undefined;
  langfuse: { publicKey: string; secretKey: string; baseUrl: string | undefined } | undefined;
  publicAppUrl: string;
  maxUploadMb: number;
  frontendOrigin: string | undefined;
  databaseUrl: string | undefined;
  /** DATABASE_SCHEMA: the PostgreSQL schema of every table (default `opsorchestra`). */
  databaseSchema: string;
  legacyTenantKeys: string[];
  /** Tokens one tenant may spend per UTC day across chat turns (0 = unlimited). */
  dailyTokenBudget: number;
  logLevel: string;
  /** TENANT_QUOTA_MB: bytes one tenant may store (originals, extractions, search index); 0 = unlimited. */
  tenantQuotaMb: number;
  /** MAX_UPLOADS_IN_FLIGHT: upload requests one tenant may have being received at once. */
  maxUploadsInFlight: number;
  /**
   * PROCESSING_LEASE_S (PostgreSQL): how long a document being read stays claimed by its instance
   * without a renewal (renewed every third of it while the instance works); after it, another
   * instance's sweep takes the document over.
   */
  processingLeaseS: number;
  /** DATABASE_POOL_SIZE: connections of each instance's PostgreSQL pool. */
  databasePoolSize: number;
  /** PARSE_WORKERS: parse worker threads (one tenant holds at most all but one of them). */
  parseWorkers: number;
  /** PARSE_TIMEOUT_S: wall-clock limit to read one document. */
  parseTimeoutS: number;
  /** PARSE_WORKER_HEAP_MB: V8 heap limit of each parse worker. */
  parseWorkerHeapMb: number;
  /**
   * TRUST_PROXY: whether the client address comes from X-Forwarded-For (behind a load balancer or a
   * platform proxy): unset/false = the TCP peer; a number = that many proxy hops in front of us;
   * comma-separated proxy addresses/CIDRs; true = trust every hop (only when the proxy overwrites the
   * header, or a client could choose its own address). The failed-auth throttle keys on this address.
   */
  trustProxy: boolean | number | string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-4-5';

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const merged: Env = { ...readDotEnv(path.join(cwd, '.env')), ...env };
  const get = (name: string): string | undefined => {
    const value = merged[name]?.trim();
    return value ? value : undefined;
  };

  const port = intVar(get('PORT'), 'PORT', 8000, 0, 65535);
  const maxUploadMb = intVar(get('MAX_UPLOAD_MB'), 'MAX_UPLOAD_MB', 25, 1, 1024);
  const tenantQuotaMb = intVar(get('TENANT_QUOTA_MB'), 'TENANT_QUOTA_MB', 2048, 0, 1_048_576);
  const maxUploadsInFlight = intVar(get('MAX_UPLOADS_IN_FLIGHT'), 'MAX_UPLOADS_IN_FLIGHT', 20, 1, 100);
  const processingLeaseS = intVar(get('PROCESSING_LEASE_S'), 'PROCESSING_LEASE_S', 30, 1, 3600);
  const databasePoolSize = intVar(get('DATABASE_POOL_SIZE'), 'DATABASE_POOL_SIZE', 20, 2, 1000);
  const parseWorkers = intVar(get('PARSE_WORKERS'), 'PARSE_WORKERS', 2, 1, 64);
  const parseTimeoutS = intVar(get('PARSE_TIMEOUT_S'), 'PARSE_TIMEOUT_S', 20, 1, 3600);
  const parseWorkerHeapMb = intVar(get('PARSE_WORKER_HEAP_MB'), 'PARSE_WORKER_HEAP_MB', 640, 64, 16_384);
  const dailyTokenBudget = intVar(get('DAILY_TOKEN_BUDGET'), 'DAILY_TOKEN_BUDGET', 2_000_000, 0, 1e12);

  const adminSecret = get('ADMIN_SECRET');
  if (adminSecret !== undefined && adminSecret.length < 16) {
    throw new ConfigError('ADMIN_SECRET must be at least 16 characters long (or unset to disable the admin API).');
  }

  const publicKey = get('LANGFUSE_PUBLIC_KEY');
  const secretKey = get('LANGFUSE_SECRET_KEY');
  const langfuseBaseUrl = urlVar(get('LANGFUSE_BASE_URL'), 'LANGFUSE_BASE_URL');

  return {
    port,
    host: get('HOST') ?? '0.0.0.0',
    dataDir: path.resolve(cwd, get('DATA_DIR') ?? '.agent'),
    adminSecret,
    anthropicApiKey: get('ANTHROPIC_API_KEY'),
    anthropicModel: get('ANTHROPIC_MODEL') ?? DEFAULT_ANTHROPIC_MODEL,
    anthropicBaseUrl: urlVar(get('ANTHROPIC_BASE_URL'), 'ANTHROPIC_BASE_URL'),
    langfuse: publicKey && secretKey ? { publicKey, secretKey, baseUrl: langfuseBaseUrl } : undefined,
    publicAppUrl: urlVar(get('PUBLIC_APP_URL'), 'PUBLIC_APP_URL') ?? `http://localhost:${port || 8000}`,
    maxUploadMb,
    frontendOrigin: urlVar(get('FRONTEND_ORIGIN'), 'FRONTEND_ORIGIN'),
    databaseUrl: get('DATABASE_URL'),
    databaseSchema: schemaVar(get('DATABASE_SCHEMA')),
    legacyTenantKeys: (get('VALID_TENANT_KEYS') ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    dailyTokenBudget,
    logLevel: get('LOG_LEVEL') ?? 'info',
    tenantQuotaMb,
    maxUploadsInFlight,
    processingLeaseS,
    databasePoolSize,
    parseWorkers,
    parseTimeoutS,
    parseWorkerHeapMb,
    trustProxy: trustProxyVar(get('TRUST_PROXY')),
  };
}

function intVar(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}".`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}.`);
  return value;
}

function schemaVar(raw: string | undefined): string {
  if (raw === undefined) return 'opsorchestra';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(raw)) {
    throw new ConfigError(`DATABASE_SCHEMA must be a lower-case SQL name (letters, digits, _), got "${raw}".`);
  }
  return raw;
}

function trustProxyVar(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (!/^[0-9A-Fa-f.:/, ]+$/.test(raw)) {
    throw new ConfigError(`TRUST_PROXY must be true, false, a hop count or proxy addresses, got "${raw}".`);
  }
  return raw;
}

function urlVar(raw: string | undefined, name: string): string | undefined {
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}".`);
  }
  return raw.replace(/\/+$/, '');
}

/** Minimal `.env` reader: KEY=VALUE lines, `#` comments, optional single or double quotes. */
export function readDotEnv(file: string): Env {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const out: Env = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!match?.[1]) continue;
    let value = match[2] ?? '';
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    out[match[1]] = value;
  }
  return out;
}
