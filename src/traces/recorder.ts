import { type Clock, isoSeconds } from '../lib/clock.ts';
import type { TenantScope } from '../store/paths.ts';
import { appendTraceEvent } from './store.ts';
import type { TraceEvent, TraceEventInput } from './types.ts';

/** Something that watches a turn's events as they happen (the Langfuse exporter). Must not throw. */
export interface TurnObserver {
  event(event: TraceEvent): void;
  /** The turn is over (answer or error); returns the exporter's id for this turn, if any. */
  end(): string | undefined;
}

/** What an observer is told about the turn it watches. */
export interface TurnMeta {
  tenantId: string;
  tenantName: string;
  sessionId: string;
  turn: number;
  question: string;
  engine: string;
  model?: string;
}

export interface TurnRecorder {
  readonly sessionId: string;
  readonly turn: number;
  /** Stamps the event (ts, session, turn), queues its append and shows it to the observers. */
  record(event: TraceEventInput): TraceEvent;
  /** Waits until every recorded event is on disk. Rejects with the first append error, if any. */
  flush(): Promise<void>;
}

export interface TurnRecorderOptions {
  scope: TenantScope;
  sessionId: string;
  turn: number;
  clock: Clock;
  observers?: TurnObserver[];
  /** Called when an observer throws (it never stops the turn). */
  onObserverError?: (err: unknown) => void;
}

/**
 * Records one turn's decision trace (DESIGN.md §8): appends are chained so events land in the order
 * they were recorded, one whole JSON line each, while the turn goes on without waiting for the disk.
 */
export function createTurnRecorder(opts: TurnRecorderOptions): TurnRecorder {
  let chain: Promise<void> = Promise.resolve();
  let firstError: unknown;
  // Milliseconds since the turn began on a monotonic clock: `ts` has whole seconds only, and the
  // Traces view draws its timing waterfall from these.
  const started = performance.now();
  return {
    sessionId: opts.sessionId,
    turn: opts.turn,
    record(input) {
      const event: TraceEvent = {
        ts: isoSeconds(opts.clock.now()),
        session_id: opts.sessionId,
        turn: opts.turn,
        offset_ms: Math.round(performance.now() - started),
        ...input,
      };
      chain = chain.then(() =>
        appendTraceEvent(opts.scope, event).catch((err: unknown) => {
          firstError ??= err;
        }),
      );
      for (const observer of opts.observers ?? []) {
        try {
          observer.event(event);
        } catch (err) {
          opts.onObserverError?.(err);
        }
      }
      return event;
    },
    async flush() {
      await chain;
      if (firstError !== undefined) throw firstError;
    },
  };
}
