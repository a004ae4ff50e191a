import { z } from 'zod';
import type { RoutePlugin } from '../../types.ts';

const FeedbackBody = z.strictObject({
  session_id: z.string().trim().min(1).max(80),
  turn: z.number().int().min(1),
  rating: z.enum(['up', 'down']),
  comment: z.string().max(4000).nullish(),
});

/** `POST /api/feedback`: thumbs on one answer, kept on the turn and in the trace (and sent to Langfuse). */
export const feedbackRoutes: RoutePlugin = async (app, { services }) => {
  app.post(
    '/api/feedback',
    { schema: { body: FeedbackBody, response: { 200: z.object({ ok: z.literal(true) }) } } },
    async (request) => {
      await services.analyst.feedback(request.scope, request.body);
      return { ok: true as const };
    },
  );
};
