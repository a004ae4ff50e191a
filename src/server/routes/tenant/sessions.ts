import { z } from 'zod';
import type { RoutePlugin } from '../../types.ts';

const IdParams = z.strictObject({ id: z.string().min(1).max(80) });
const RenameBody = z.strictObject({ title: z.string().trim().min(1).max(200) });

const SessionHead = z.object({ id: z.string(), title: z.string(), created_at: z.string(), updated_at: z.string() });
const Turn = z.object({
  turn: z.number(),
  question: z.string(),
  answer: z.string(),
  citations: z.array(z.unknown()),
  metrics: z.array(z.unknown()),
  engine: z.string(),
  created_at: z.string(),
  completed_at: z.string().nullable(),
  feedback: z.object({ rating: z.enum(['up', 'down']), comment: z.string().nullable() }).nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  steps: z
    .array(
      z.object({ type: z.enum(['plan', 'tool_call', 'tool_result']), summary: z.string(), ok: z.boolean().optional() }),
    )
    .optional(),
});

/** Conversations of the calling tenant only: another tenant's session id is not found, like an unknown one. */
export const sessionRoutes: RoutePlugin = async (app, { services }) => {
  const { sessions } = services.analyst;

  app.get(
    '/api/sessions',
    { schema: { response: { 200: z.object({ sessions: z.array(SessionHead.extend({ turns: z.number() })) }) } } },
    async (request) => ({ sessions: await sessions.list(request.scope) }),
  );

  app.get(
    '/api/sessions/:id',
    { schema: { params: IdParams, response: { 200: z.object({ session: SessionHead, turns: z.array(Turn) }) } } },
    async (request) => {
      const s = await sessions.require(request.scope, request.params.id);
      return { session: s, turns: s.turns };
    },
  );

  app.patch(
    '/api/sessions/:id',
    { schema: { params: IdParams, body: RenameBody, response: { 200: z.object({ session: SessionHead }) } } },
    async (request) => ({ session: await sessions.rename(request.scope, request.params.id, request.body.title) }),
  );
};
