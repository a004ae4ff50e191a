/**
 * A small Server-Sent Events parser for streams read with fetch (EventSource cannot POST or send
 * headers). Feed it text chunks as they arrive; it returns the complete events so far and keeps the
 * unfinished tail for the next chunk.
 */
export interface SseEvent {
  event: string;
  data: string;
}

export interface SseParser {
  push(chunk: string): SseEvent[];
  /** Call at end of stream: yields a last event that was not followed by a blank line. */
  flush(): SseEvent[];
}

export function createSseParser(): SseParser {
  let buffer = '';
  let eventName = '';
  let dataLines: string[] = [];

  const dispatch = (out: SseEvent[]) => {
    if (dataLines.length > 0) out.push({ event: eventName || 'message', data: dataLines.join('\n') });
    eventName = '';
    dataLines = [];
  };

  const processLine = (line: string, out: SseEvent[]) => {
    if (line === '') return dispatch(out);
    if (line.startsWith(':')) return; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') eventName = value;
    else if (field === 'data') dataLines.push(value);
  };

  return {
    push(chunk) {
      buffer += chunk;
      const out: SseEvent[] = [];
      // Lines end with \n, \r\n or \r; a trailing \r may be the first half of \r\n, so keep it.
      const re = /\r\n|\n|\r(?!$)/g;
      let start = 0;
      for (let m = re.exec(buffer); m !== null; m = re.exec(buffer)) {
        processLine(buffer.slice(start, m.index), out);
        start = m.index + m[0].length;
      }
      buffer = buffer.slice(start);
      return out;
    },
    flush() {
      const out: SseEvent[] = [];
      if (buffer !== '') processLine(buffer.replace(/\r$/, ''), out);
      buffer = '';
      dispatch(out);
      return out;
    },
  };
}

/** Reads a fetch body stream as SSE events. */
export async function* readSse(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = createSseParser();
  try {
    while (true) {
      if (signal?.aborted) return;
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    yield* parser.push(decoder.decode());
    yield* parser.flush();
  } finally {
    reader.releaseLock();
  }
}
