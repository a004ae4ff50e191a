import path from 'node:path';
import type { Clock } from '../lib/clock.ts';
import { AppError, relativePaths, storageFault } from '../lib/errors.ts';
import type { TenantScope } from '../store/paths.ts';
import type { TenantService } from '../tenants/service.ts';
import type { TenantRecord } from '../tenants/types.ts';
import { createTurnRecorder, type TurnMeta, type TurnObserver } from '../traces/recorder.ts';
import { createToolContext, publicFaultMessage } from './runtime.ts';
import type { SessionStore } from './sessions.ts';
import { describeStep, type StepEvent, type StoredStep, storedStep } from './steps.ts';
import type { ToolRegistry } from './tools/index.ts';
import type { AnswerMetric, Citation, Engine, EngineResult, TurnLimits } from './types.ts';

/** What `POST /api/chat` answers (JSON mode, and the SSE `answer` event). */
export interface ChatAnswer {
  session_id: string;
  turn: number;
  answer: string;
  citations: Citation[];
  metrics: AnswerMetric[];
  engine: string;
}

/** The live events of a turn before its answer (the SSE stream). */
export type ChatStreamEvent =
  | { event: 'session'; data: { session_id: string; turn: number } }
  | { event: 'step'; data: StepEvent }
  | { event: 'delta'; data: { text: string } };

export interface ChatRequest {
  tenant: TenantRecord;
  scope: TenantScope;
  message: string;
  sessionId?: string;
  /** Aborted when the client goes away or presses Stop: the turn ends as `turn_cancelled`, no more tools run. */
  signal?: AbortSignal;
}

export interface Log {
  warn(obj: object, msg: string): void;
}

export interface ChatDeps {
  engine: Engine;
  tools: ToolRegistry;
  sessions: SessionStore;
  tenants: TenantService;
  clock: Clock;
  dailyTokenBudget: number;
  limits?: Partial<TurnLimits>;
  /** Starts the exporter's view of one turn (Langfuse), when configured. */
  observeTurn?: (meta: TurnMeta) => TurnObserver | undefined;
  log?: Log;
}

const HISTORY_TURNS = 10;

/**
 * One analyst turn, start to end: budget and session checks (before anything is written), a pending
 * turn in the session, the trace (user_message … answer | error), the engine run through the tool
 * runtime, the finished turn, and one query counted for the tenant.
 */
export async function runChatTurn(
  deps: ChatDeps,
  req: ChatRequest,
  onEvent: (event: ChatStreamEvent) => void = () => {},
): Promise<ChatAnswer> {
  const { engine, sessions, tenants } = deps;
  const existing = req.sessionId ? await sessions.require(req.scope, req.sessionId) : undefined;

  const assertActive = async () => {
    if (req.signal?.aborted) throw cancelled();
    // The tenant's current key: after a rotation mid-turn the old one is refused at once.
    const fresh = await tenants.authenticate(req.tenant.access_key ?? req.tenant.key);
    if (fresh?.status !== 'active') {
      throw new AppError(401, 'access_key_revoked', 'This access key has been revoked. Contact the operator.');
    }
    return fresh;
  };
  const fresh = await assertActive();
  if (deps.dailyTokenBudget > 0 && tenants.tokensToday(fresh) >= deps.dailyTokenBudget) {
    const now = deps.clock.now();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    throw new AppError(
      429,
      'budget_exceeded',
      `Today's analyst budget of ${deps.dailyTokenBudget} tokens is used up; it renews at midnight UTC.`,
      { 'retry-after': String(Math.max(1, Math.ceil((midnight - now.getTime()) / 1000))) },
    );
  }

  const session = existing ?? (await sessions.create(req.scope, req.message));
  const pending = await sessions.startTurn(req.scope, session.id, req.message, engine.name, engine.model);
  const turn = pending.turn;
  onEvent({ event: 'session', data: { session_id: session.id, turn } });

  const observer = safeObserve(deps, {
    tenantId: req.tenant.key,
    tenantName: req.tenant.name,
    sessionId: session.id,
    turn,
    question: req.message,
    engine: engine.name,
    model: engine.model,
  });
  const recorder = createTurnRecorder({
    scope: req.scope,
    sessionId: session.id,
    turn,
    clock: deps.clock,
    observers: observer ? [observer] : [],
    onObserverError: (err) => deps.log?.warn({ err }, 'trace export failed'),
  });
  recorder.record({ type: 'user_message', input: req.message, engine: engine.name, model: engine.model });
  // The steps as the partner read them, kept with the turn so a reopened conversation shows them.
  const steps: StoredStep[] = [];

  const ctx = createToolContext({
    tools: deps.tools,
    tenant: req.tenant,
    scope: req.scope,
    sessionId: session.id,
    turn,
    recorder,
    assertActive: async () => {
      await assertActive();
    },
    limits: deps.limits,
    onEvent: (event) => {
      if (event.type === 'delta') onEvent({ event: 'delta', data: { text: event.text } });
      else if (event.type !== 'llm_call') {
        const step = describeStep(event);
        const kept = storedStep(step);
        if (kept) steps.push(kept);
        onEvent({ event: 'step', data: step });
      }
    },
  });

  const history = session.turns
    .filter((t) => t.turn < turn && t.error === null && t.answer)
    .slice(-HISTORY_TURNS)
    .map((t) => ({ question: t.question, answer: t.answer }));

  const started = performance.now();
  let result: EngineResult;
  try {
    result = await untilAborted(
      engine
        .run({ message: req.message, history, ctx })
        .catch((err: unknown) => honestAboutStorage(err, req.scope.dir, deps.log)),
      req.signal,
    );
  } catch (err) {
    if (!(err instanceof AppError)) deps.log?.warn({ err }, 'analyst engine failed');
    const error = toAppError(err);
    recorder.record({ type: 'error', output: { code: error.code, message: error.message }, engine: engine.name });
    const traceId = endObserver(deps, observer);
    await finish(deps, recorder, () =>
      sessions.finishTurn(req.scope, session.id, turn, {
        error: { code: error.code, message: error.message },
        tokens: { input: 0, output: 0 },
        steps,
        ...(traceId ? { langfuse_trace_id: traceId } : {}),
      }),
    );
    if (error.code !== 'access_key_revoked' && error.code !== 'turn_cancelled')
      await tenants.recordQuery(req.tenant.key).catch(() => undefined);
    throw error;
  }

  recorder.record({
    type: 'answer',
    output: { answer: result.answer, citations: result.citations, metrics: result.metrics },
    tokens: result.tokens,
    duration_ms: Math.round(performance.now() - started),
    engine: engine.name,
    model: engine.model,
  });
  const traceId = endObserver(deps, observer);
  await finish(deps, recorder, () =>
    sessions.finishTurn(req.scope, session.id, turn, {
      answer: result.answer,
      citations: result.citations,
      metrics: result.metrics,
      tokens: result.tokens,
      steps,
      ...(traceId ? { langfuse_trace_id: traceId } : {}),
    }),
  );
  await tenants.recordQuery(req.tenant.key, { inputTokens: result.tokens.input, outputTokens: result.tokens.output });
  return {
    session_id: session.id,
    turn,
    answer: result.answer,
    citations: result.citations,
    metrics: result.metrics,
    engine: engine.name,
  };
}

async function finish(deps: ChatDeps, recorder: { flush(): Promise<void> }, save: () => Promise<unknown>) {
  await save();
  try {
    await recorder.flush();
  } catch (err) {
    deps.log?.warn({ err }, 'writing the decision trace failed');
  }
}

function safeObserve(deps: ChatDeps, meta: TurnMeta): TurnObserver | undefined {
  try {
    return deps.observeTurn?.(meta);
  } catch (err) {
    deps.log?.warn({ err }, 'trace export failed to start');
    return undefined;
  }
}

function endObserver(deps: ChatDeps, observer: TurnObserver | undefined): string | undefined {
  try {
    return observer?.end();
  } catch (err) {
    deps.log?.warn({ err }, 'trace export failed to end');
    return undefined;
  }
}

/**
 * A tool hit a storage fault: the answer says so ("I couldn't read your data (…); the operator has
 * been told") instead of reading the fault as "no data", and the operator's log gets the details
 * (code, errno, the file relative to the data directory). Any other error is rethrown.
 */
function honestAboutStorage(err: unknown, tenantDir: string, log: ChatDeps['log']): EngineResult {
  const fault = storageFault(err);
  if (!fault) throw err;
  const dataDir = path.dirname(tenantDir);
  const cause = fault.cause as { path?: string; code?: string } | undefined;
  const file = (fault as { path?: string }).path ?? cause?.path;
  log?.warn(
    {
      code: fault.code,
      ...(cause?.code ? { errno: cause.code } : {}),
      ...(file ? { file: relativePaths(file, dataDir) } : {}),
      detail: relativePaths(fault.message, dataDir),
    },
    'storage fault during an analyst turn',
  );
  return {
    answer: `I couldn't read your data (${publicFaultMessage(fault)}); the operator has been told. Please try again later.`,
    citations: [],
    metrics: [],
    tokens: { input: 0, output: 0 },
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError(500, 'analyst_failed', 'The analyst failed to answer this question. Please try again.');
}

const cancelled = () => new AppError(499, 'turn_cancelled', 'The question was stopped before it was answered.');

/** The engine's run, or a `turn_cancelled` error as soon as the signal aborts (its tools are refused from then on). */
function untilAborted<T>(run: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return run;
  if (signal.aborted) {
    run.catch(() => undefined);
    return Promise.reject(cancelled());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    run.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
