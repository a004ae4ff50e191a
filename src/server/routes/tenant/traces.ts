import { z } from 'zod';
import { notFound } from '../../../lib/errors.ts';
import { listTraces, readTrace } from '../../../traces/store.ts';
import type { RoutePlugin } from '../../types.ts';

const Params = z.strictObject({ session_id: z.string().min(1).max(80) });

/** Decision traces (DESIGN.md §8) of the calling tenant's sessions. */
export const traceRoutes: RoutePlugin = async (app, { services }) => {
  app.get('/api/traces', async (request) => {
    const traces = await listTraces(request.scope);
    const titles = new Map((await services.analyst.sessions.list(request.scope)).map((s) => [s.id, s.title]));
    return { sessions: traces.map((t) => ({ ...t, title: titles.get(t.session_id) ?? null })) };
  });

  app.get('/api/traces/:session_id', { schema: { params: Params } }, async (request) => {
    const events = await readTrace(request.scope, request.params.session_id);
    if (!events) throw notFound('No such session.', 'session_not_found');
    return { session_id: request.params.session_id, events };
  });
};
