import { apiUrl } from '../../../lib/api-base.ts';
import { ApiError, authHeaders, ensureOk } from '../../../lib/api-client.ts';
import type { ChatAnswer, Step } from '../../../lib/api-types.ts';
import { readSse, type SseEvent } from '../../../lib/sse.ts';

export interface ChatStreamHandlers {
  onSession?: (session: { session_id: string; turn: number }) => void;
  onStep?: (step: Step) => void;
  onDelta?: (text: string) => void;
  onAnswer?: (answer: ChatAnswer) => void;
}

/** Applies one SSE frame from POST /api/chat to the handlers; returns true when the stream is over. */
export function applyChatEvent(event: SseEvent, handlers: ChatStreamHandlers): boolean {
  let data: unknown;
  try {
    data = event.data ? JSON.parse(event.data) : {};
  } catch {
    return false; // a malformed frame is skipped, not fatal
  }
  const obj = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  switch (event.event) {
    case 'session':
      if (typeof obj.session_id === 'string') {
        handlers.onSession?.({ session_id: obj.session_id, turn: typeof obj.turn === 'number' ? obj.turn : 0 });
      }
      return false;
    case 'step':
      handlers.onStep?.({
        type: obj.type === 'plan' || obj.type === 'tool_result' ? obj.type : 'tool_call',
        name: typeof obj.name === 'string' ? obj.name : undefined,
        input: obj.input,
        output: obj.output,
        ...(typeof obj.ok === 'boolean' ? { ok: obj.ok } : {}),
        summary: typeof obj.summary === 'string' ? obj.summary : '',
      });
      return false;
    case 'delta':
      if (typeof obj.text === 'string') handlers.onDelta?.(obj.text);
      return false;
    case 'answer':
      handlers.onAnswer?.(normalizeAnswer(obj));
      return false;
    case 'done':
      return true;
    case 'error':
      throw new ApiError(
        500,
        typeof obj.code === 'string' ? obj.code : 'chat_failed',
        typeof obj.message === 'string' ? obj.message : 'The analyst could not answer.',
      );
    default:
      return false;
  }
}

export function normalizeAnswer(obj: Record<string, unknown>): ChatAnswer {
  return {
    session_id: typeof obj.session_id === 'string' ? obj.session_id : '',
    turn: typeof obj.turn === 'number' ? obj.turn : 0,
    answer: typeof obj.answer === 'string' ? obj.answer : '',
    citations: Array.isArray(obj.citations) ? (obj.citations as ChatAnswer['citations']) : [],
    metrics: Array.isArray(obj.metrics) ? (obj.metrics as ChatAnswer['metrics']) : [],
    engine: typeof obj.engine === 'string' ? obj.engine : '',
  };
}

/** One analyst turn over SSE (fetch + ReadableStream, since EventSource cannot POST). */
export async function streamChat(
  body: { message: string; session_id?: string },
  handlers: ChatStreamHandlers,
  signal?: AbortSignal,
): Promise<void> {
  let res: Response;
  try {
    res = await fetch(apiUrl('/api/chat'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...authHeaders() },
      body: JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection and try again.');
  }
  await ensureOk(res);
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('text/event-stream') || !res.body) {
    // A server that answered with JSON instead: one complete answer.
    const answer = normalizeAnswer((await res.json()) as Record<string, unknown>);
    handlers.onSession?.({ session_id: answer.session_id, turn: answer.turn });
    handlers.onAnswer?.(answer);
    return;
  }
  for await (const event of readSse(res.body, signal)) {
    if (applyChatEvent(event, handlers)) return;
  }
}
