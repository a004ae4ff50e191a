import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { storageFault } from '../../../lib/errors.ts';
import { adminPaths, globalPaths } from '../../../store/paths.ts';
import type { RoutePlugin } from '../../types.ts';
import { APP_VERSION } from '../../version.ts';

const Problem = z.object({
  part: z.enum(['registry', 'storage']),
  code: z.string(),
  message: z.string(),
});

const HealthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  storage: z.object({ backend: z.enum(['file', 'postgres']), writable: z.boolean() }),
  analyst: z.enum(['claude', 'local']),
  langfuse: z.boolean(),
  seed_graph: z.boolean(),
  /** Only when degraded: what cannot serve, with a stable code. */
  problems: z.array(Problem).optional(),
});

type ProblemT = z.infer<typeof Problem>;

/** Below this much free space the data directory counts as full (a write of a session would fail). */
const MIN_FREE_BYTES = 64 * 1024;

/**
 * Whether the data directory takes a real write: a small probe file is written and removed (an
 * `access(W_OK)` says yes on a full disk, and root passes permission checks), then the free space.
 */
async function probeStorage(dataDir: string): Promise<ProblemT | undefined> {
  const admin = adminPaths(dataDir).dir;
  const dir = fs.existsSync(admin) ? admin : dataDir;
  const probe = path.join(dir, `.health.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    await fs.promises.writeFile(probe, 'ok\n', { mode: 0o600 });
    const stat = await fs.promises.statfs(dir);
    if (stat.bavail * stat.bsize < MIN_FREE_BYTES) {
      return { part: 'storage', code: 'storage_full', message: 'The data directory is (almost) full.' };
    }
    return undefined;
  } catch (err) {
    const fault = storageFault(err);
    return {
      part: 'storage',
      code: fault?.code ?? 'storage_unavailable',
      message:
        fault?.code === 'storage_full'
          ? 'The data directory is full.'
          : 'The data directory cannot be written (read-only, missing or unreachable).',
    };
  } finally {
    await fs.promises.rm(probe, { force: true }).catch(() => undefined);
  }
}

/**
 * `GET /api/health`, no auth: enough for a load balancer and an operator, never a secret or a path.
 * 503 `degraded` with `problems` when the service cannot serve: the tenant registry cannot be read
 * (corrupt file, database down) or the data directory cannot take a write (read-only, full, gone).
 */
export const healthRoutes: RoutePlugin = async (app, { services }) => {
  const { config } = services;
  app.get(
    '/api/health',
    { schema: { response: { 200: HealthResponse, 503: HealthResponse } } },
    async (_request, reply) => {
      const problems: ProblemT[] = [];
      const storage = await probeStorage(config.dataDir);
      if (storage) problems.push(storage);
      try {
        await services.tenants.list({ all: true });
      } catch (err) {
        const fault = storageFault(err);
        problems.push({
          part: 'registry',
          code: fault?.code ?? 'storage_unavailable',
          message:
            fault?.code === 'corrupt_file'
              ? 'The tenant registry cannot be read (corrupt file); see the server log.'
              : 'The tenant registry cannot be reached; see the server log.',
        });
        reply.log.error({ code: fault?.code, err: (err as Error).message }, 'health: registry unreadable');
      }
      const seedGraph = await fs.promises.access(globalPaths(config.dataDir).seedGraphFile).then(
        () => true,
        () => false,
      );
      const body = {
        status: problems.length ? ('degraded' as const) : ('ok' as const),
        version: APP_VERSION,
        storage: { backend: services.tenants.storage, writable: storage === undefined },
        analyst: config.anthropicApiKey ? ('claude' as const) : ('local' as const),
        langfuse: config.langfuse !== undefined,
        seed_graph: seedGraph,
        ...(problems.length ? { problems } : {}),
      };
      return reply.code(problems.length ? 503 : 200).send(body);
    },
  );
};
