import { describe, expect, it } from 'vitest';
import { createSseParser, readSse } from './sse.ts';

describe('SSE parser', () => {
  it('parses event/data frames split across arbitrary chunks', () => {
    const parser = createSseParser();
    const text =
      'event: session\ndata: {"session_id":"s1","turn":1}\n\nevent: delta\ndata: {"text":"Hel"}\n\nevent: delta\ndata: {"text":"lo"}\n\nevent: done\ndata: {}\n\n';
    const events = [];
    for (let i = 0; i < text.length; i += 7) events.push(...parser.push(text.slice(i, i + 7)));
    events.push(...parser.flush());
    expect(events).toEqual([
      { event: 'session', data: '{"session_id":"s1","turn":1}' },
      { event: 'delta', data: '{"text":"Hel"}' },
      { event: 'delta', data: '{"text":"lo"}' },
      { event: 'done', data: '{}' },
    ]);
  });

  it('handles CRLF, a CR split from its LF, comments, multi-line data and a missing event name', () => {
    const parser = createSseParser();
    const out = [
      ...parser.push(': keep-alive\r\nevent: step\r'),
      ...parser.push('\ndata: line 1\r\ndata: line 2\r\n\r\ndata: plain\n\n'),
    ];
    expect(out).toEqual([
      { event: 'step', data: 'line 1\nline 2' },
      { event: 'message', data: 'plain' },
    ]);
  });

  it('flushes a final event that has no blank line after it, and ignores frames without data', () => {
    const parser = createSseParser();
    expect(parser.push('event: ping\n\nevent: answer\ndata: {"a":1}')).toEqual([]);
    expect(parser.flush()).toEqual([{ event: 'answer', data: '{"a":1}' }]);
  });

  it('reads a byte stream with multi-byte characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('event: delta\ndata: {"text":"€ 1.2M"}\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 22)); // splits the 3-byte euro sign
        controller.enqueue(bytes.slice(22));
        controller.close();
      },
    });
    const events = [];
    for await (const e of readSse(stream)) events.push(e);
    expect(events).toEqual([{ event: 'delta', data: '{"text":"€ 1.2M"}' }]);
  });
});
