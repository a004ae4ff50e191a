import path from 'node:path';
import { AppError, relativePaths, storageFault } from '../lib/errors.ts';
import type { TenantScope } from '../store/paths.ts';
import type { TenantRecord } from '../tenants/types.ts';
import type { TurnRecorder } from '../traces/recorder.ts';
import type { ToolRegistry } from './tools/index.ts';
import type { EngineEvent, ToolContext, ToolResult, TurnLimits } from './types.ts';

export const DEFAULT_TURN_LIMITS: TurnLimits = { maxToolCalls: 12, maxTurnTokens: 200_000, toolTimeoutMs: 30_000 };

export interface TurnRuntimeOptions {
  tools: ToolRegistry;
  tenant: TenantRecord;
  scope: TenantScope;
  sessionId: string;
  turn: number;
  recorder: TurnRecorder;
  /** Throws AppError 401 `access_key_revoked` when the tenant is no longer active (re-read, not cached). */
  assertActive(): Promise<void>;
  /** Every engine event and tool step, for the live stream (SSE). */
  onEvent?: (event: EngineEvent) => void;
  limits?: Partial<TurnLimits>;
}

/**
 * The ToolContext of one turn. Both engines reach data only through `callTool`, which, in order:
 * re-checks that the tenant is still active (a CLI revoke stops a running turn at its next tool call
 * by throwing), enforces the per-turn caps, validates the input against the tool's schema, runs the
 * tool with the tenant from this context under a timeout, and records `tool_call`/`tool_result`.
 * A tool failure becomes `{ok: false, error}` for the planner to read, never a crash.
 */
export function createToolContext(opts: TurnRuntimeOptions): ToolContext {
  const limits: TurnLimits = { ...DEFAULT_TURN_LIMITS, ...opts.limits };
  let toolCalls = 0;
  let tokens = 0;
  let callSeq = 0;
  const forward = (event: EngineEvent) => opts.onEvent?.(event);

  const emit = (event: EngineEvent) => {
    if (event.type === 'plan') opts.recorder.record({ type: 'plan', output: event.text });
    else if (event.type === 'llm_call') {
      tokens += event.tokens.input + event.tokens.output;
      opts.recorder.record({
        type: 'llm_call',
        model: event.model,
        tokens: event.tokens,
        ...(event.cache ? { cache: event.cache } : {}),
        duration_ms: event.duration_ms,
        ...(event.input !== undefined ? { input: event.input } : {}),
        ...(event.output !== undefined ? { output: event.output } : {}),
      });
    } else if (event.type === 'tool_call') {
      opts.recorder.record({ type: 'tool_call', id: event.id, name: event.name, input: event.input });
    } else if (event.type === 'tool_result') {
      opts.recorder.record({
        type: 'tool_result',
        id: event.id,
        name: event.name,
        ok: event.ok,
        output: event.output,
        duration_ms: event.duration_ms,
      });
    }
    forward(event);
  };

  // A storage fault (corrupt file, read-only or full disk) is not "no data": it is recorded as the
  // tool's result with a public message (no path), then ends the turn; chat answers it honestly.
  let fault: AppError | undefined;
  const dataDir = path.dirname(opts.scope.dir);

  const callTool = async (name: string, input: unknown): Promise<ToolResult<unknown>> => {
    await opts.assertActive();
    callSeq += 1;
    const id = `call_${callSeq}`;
    emit({ type: 'tool_call', id, name, input });
    const started = performance.now();
    fault = undefined;
    const result = await runChecked(name, input);
    emit({
      type: 'tool_result',
      id,
      name,
      ok: result.ok,
      output: result.ok ? result.output : { error: result.error },
      duration_ms: Math.round(performance.now() - started),
    });
    if (fault) throw fault;
    return result;
  };

  const runChecked = async (name: string, input: unknown): Promise<ToolResult> => {
    const tool = opts.tools.get(name);
    if (!tool) return fail('unknown_tool', `There is no tool named "${name}".`);
    if (toolCalls >= limits.maxToolCalls) {
      return fail(
        'tool_limit_reached',
        `At most ${limits.maxToolCalls} tool calls per question; answer with what you have.`,
      );
    }
    if (tokens >= limits.maxTurnTokens) {
      return fail('turn_token_limit', 'The token limit for one question is reached; answer with what you have.');
    }
    toolCalls += 1;
    const parsed = tool.input.safeParse(input ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
      return fail('invalid_input', `Invalid input for ${name}: ${detail}`);
    }
    const runCtx = { tenant: opts.tenant, scope: opts.scope, sessionId: opts.sessionId, turn: opts.turn };
    let timer: NodeJS.Timeout | undefined;
    try {
      const output = await Promise.race([
        tool.run(runCtx, parsed.data),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(Object.assign(new Error(`${name} took too long.`), { code: 'tool_timeout' })),
            limits.toolTimeoutMs,
          );
        }),
      ]);
      return { ok: true, output };
    } catch (err) {
      const storage = storageFault(err);
      if (storage) {
        fault = storage;
        return fail(storage.code, publicFaultMessage(storage));
      }
      // Tool errors reach the trace and the model: never with a server path.
      return fail(errorCode(err), relativePaths(err instanceof Error ? err.message : String(err), dataDir));
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    tenant: opts.tenant,
    scope: opts.scope,
    sessionId: opts.sessionId,
    turn: opts.turn,
    // The registry's tools keep their own output types (ToolOutputs); the runtime passes them through unchanged.
    callTool: callTool as ToolContext['callTool'],
    emit,
    limits,
    usage: () => ({ toolCalls, tokens }),
  };
}

/** What a tenant may read about a storage fault (the details are in the operator's log). */
export function publicFaultMessage(err: AppError): string {
  switch (err.code) {
    case 'corrupt_file':
      return 'a stored file of your data is damaged';
    case 'storage_full':
      return 'the storage is full';
    case 'storage_busy':
      return 'the storage is busy';
    default:
      return 'the storage is unavailable';
  }
}

function fail(code: string, message: string): ToolResult {
  return { ok: false, error: { code, message } };
}

function errorCode(err: unknown): string {
  if (err instanceof AppError) return err.code;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[a-z][a-z0-9_]*$/.test(code) ? code : 'tool_failed';
}
