import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server speaking the Messages API's streaming wire format (every frame with an `event:`
 * line), so the real SDK can be tested without network or key. Responses are served in order.
 */
export type MockReply =
  | {
      kind: 'stream';
      text?: string;
      tools?: Array<{ id: string; name: string; input: unknown }>;
      usage?: [number, number];
      /** Prompt-cache tokens reported in `usage`: written to the cache, read from it. */
      cache?: { write: number; read: number };
    }
  | { kind: 'error'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'stream-error' };

export interface MockAnthropic {
  url: string;
  requests: Array<{ headers: http.IncomingHttpHeaders; body: Record<string, unknown> }>;
  replies: MockReply[];
  close(): Promise<void>;
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function streamFrames(reply: Extract<MockReply, { kind: 'stream' }>): string {
  const [inputTokens, outputTokens] = reply.usage ?? [10, 20];
  const out: string[] = [
    frame('message_start', {
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-test',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: inputTokens,
          output_tokens: 1,
          cache_creation_input_tokens: reply.cache?.write ?? 0,
          cache_read_input_tokens: reply.cache?.read ?? 0,
        },
      },
    }),
  ];
  let index = 0;
  if (reply.text !== undefined) {
    out.push(
      frame('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }),
    );
    // Split the text in two deltas to exercise streaming.
    const mid = Math.ceil(reply.text.length / 2);
    for (const part of [reply.text.slice(0, mid), reply.text.slice(mid)]) {
      if (part)
        out.push(
          frame('content_block_delta', {
            type: 'content_block_delta',
            index,
            delta: { type: 'text_delta', text: part },
          }),
        );
    }
    out.push(frame('content_block_stop', { type: 'content_block_stop', index }));
    index += 1;
  }
  for (const tool of reply.tools ?? []) {
    out.push(
      frame('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: tool.id, name: tool.name, input: {} },
      }),
    );
    out.push(
      frame('content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(tool.input) },
      }),
    );
    out.push(frame('content_block_stop', { type: 'content_block_stop', index }));
    index += 1;
  }
  out.push(
    frame('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: reply.tools?.length ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: outputTokens },
    }),
  );
  out.push(frame('message_stop', { type: 'message_stop' }));
  return out.join('');
}

export async function startMockAnthropic(replies: MockReply[] = []): Promise<MockAnthropic> {
  const mock: Omit<MockAnthropic, 'url' | 'close'> = { requests: [], replies };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      mock.requests.push({ headers: req.headers, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} });
      const reply = mock.replies.shift();
      if (!reply) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'no reply queued' } }));
        return;
      }
      if (reply.kind === 'error') {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(JSON.stringify(reply.body ?? { type: 'error', error: { type: 'api_error', message: 'boom' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      if (reply.kind === 'stream-error') {
        res.end(frame('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
        return;
      }
      res.end(streamFrames(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...mock,
    get replies() {
      return mock.replies;
    },
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
