import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { AppError } from '../../../lib/errors.ts';
import type { RoutePlugin } from '../../types.ts';

const ChatBody = z.strictObject({
  message: z.string().trim().min(1, 'message must not be empty').max(8000),
  session_id: z.string().trim().min(1).max(80).optional(),
});

/**
 * `POST /api/chat`: one analyst turn. `Accept: text/event-stream` streams `session`, `step`, `delta`,
 * then `answer` and `done` — or `error {code, message}` once the stream has begun. Anything refused
 * before the turn starts (unknown session 404, budget 429, revoked 401) is a plain JSON error in both
 * modes, with its status code.
 */
export const chatRoutes: RoutePlugin = async (app, { services }) => {
  // Flush the trace export (Langfuse) when the server shuts down.
  app.addHook('onClose', async () => {
    await services.analyst.close();
  });

  app.post('/api/chat', { schema: { body: ChatBody } }, async (request, reply) => {
    // Stop: a client that goes away (Stop, a closed tab) before the answer is sent ends the turn.
    const controller = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    const req = {
      tenant: request.tenant,
      scope: request.scope,
      message: request.body.message,
      sessionId: request.body.session_id,
      signal: controller.signal,
    };
    if (!/text\/event-stream/i.test(request.headers.accept ?? '')) {
      return services.analyst.chat(req);
    }

    const stream = new PassThrough();
    // A client that goes away mid-turn destroys the stream and aborts the turn (saved as `turn_cancelled`).
    stream.on('error', () => {});
    const write = (event: string, data: unknown) => {
      if (!stream.writableEnded && !stream.destroyed)
        stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    let began!: () => void;
    const firstEvent = new Promise<void>((resolve) => {
      began = resolve;
    });
    const turn = services.analyst.chat(req, (event) => {
      began();
      write(event.event, event.data);
    });
    // Until the turn has begun, a refusal is an ordinary HTTP error (the race rethrows it).
    await Promise.race([firstEvent, turn]);
    turn.then(
      (answer) => {
        write('answer', answer);
        write('done', {});
        if (!stream.destroyed) stream.end();
      },
      (err: unknown) => {
        const error = err instanceof AppError ? err : new AppError(500, 'analyst_failed', 'The analyst failed.');
        if (error.status >= 500 && !(err instanceof AppError)) request.log.error({ err }, 'chat turn failed');
        write('error', { code: error.code, message: error.message });
        if (!stream.destroyed) stream.end();
      },
    );
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache, no-transform')
      .header('x-accel-buffering', 'no')
      .send(stream);
  });
};
