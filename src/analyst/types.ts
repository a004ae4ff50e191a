import type { z } from 'zod';
import type { TenantScope } from '../store/paths.ts';
import type { TenantRecord } from '../tenants/types.ts';
import type { ToolInputs, ToolName, ToolOutputs } from './tools/index.ts';

/**
 * Contracts of the analyst (DESIGN.md §7): tools are data, both engines call them through
 * `ToolContext.callTool`, which checks revocation, enforces the per-turn cap and records the trace.
 */

/** A source an answer cites: a place in a document, or a benchmark publication. */
export type Citation =
  | { document_id: string; document_name: string; locator: string; snippet?: string }
  | { benchmark: true; publisher: string; report: string; year: number; url: string };

/** A metric shown with an answer (the web app charts `series` with the benchmark band). */
export interface AnswerMetric {
  metric: string;
  name: string;
  unit: string;
  /** An amount's currency (ISO 4217; `null`: the documents state several): set for unit `currency` only. */
  currency?: string | null;
  value: number | null;
  period: string;
  series: Array<{ period: string; value: number }>;
  benchmark?: { low?: number; median?: number; high?: number; label: string; source?: string };
}

/**
 * A tool: its input schema `I` (zod, validated by the runtime) and its own output type `O`. Outputs stay
 * typed objects inside the server; they become JSON only at the Claude edge and in the trace recorder.
 */
export interface Tool<I extends z.ZodType = z.ZodType, O = unknown> {
  name: string;
  description: string;
  input: I;
  /** Runs with the tenant from the context — never from `input`. Throwing makes an error result, not a crash. */
  run(ctx: ToolRunContext, input: z.infer<I>): Promise<O>;
}

/** What a tool's `run` may reach: the verified tenant's scope and the services bound to it. */
export interface ToolRunContext {
  tenant: TenantRecord;
  scope: TenantScope;
  sessionId: string;
  turn: number;
}

export type ToolError = { code: string; message: string };
export type ToolResult<O = unknown> = { ok: true; output: O } | { ok: false; error: ToolError };

/** The output type of a registered tool by its name (`unknown` for a name that is not one). */
export type ToolOutputOf<N extends string> = N extends ToolName ? ToolOutputs[N] : unknown;
/** The input a registered tool takes by its name (as the caller writes it, before validation). */
export type ToolInputOf<N extends string> = N extends ToolName ? ToolInputs[N] : unknown;

export type EngineEvent =
  | { type: 'plan'; text: string }
  | { type: 'tool_call'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; id: string; name: string; ok: boolean; output: unknown; duration_ms: number }
  | { type: 'delta'; text: string }
  | {
      type: 'llm_call';
      model: string;
      duration_ms: number;
      tokens: { input: number; output: number };
      /** Prompt-cache tokens of the call: written to the cache, read from it (Claude engine). */
      cache?: { write: number; read: number };
      input?: unknown;
      output?: unknown;
    };

export interface ToolContext extends ToolRunContext {
  /** Run a registered tool: checks the tenant is still active, the per-turn cap, validates input, traces. */
  callTool<N extends string>(name: N, input: ToolInputOf<N>): Promise<ToolResult<ToolOutputOf<N>>>;
  emit(event: EngineEvent): void;
  /** The turn's limits and what has been used so far (tool calls made, LLM tokens emitted via `llm_call`). */
  limits?: TurnLimits;
  usage?(): { toolCalls: number; tokens: number };
}

export interface TurnLimits {
  maxToolCalls: number;
  /** Input + output tokens of all LLM calls of one turn; past it, tools refuse and engines wrap up. */
  maxTurnTokens: number;
  toolTimeoutMs: number;
}

export interface EngineTurn {
  message: string;
  history: Array<{ question: string; answer: string }>;
  ctx: ToolContext;
}

export interface EngineResult {
  answer: string;
  citations: Citation[];
  metrics: AnswerMetric[];
  tokens: { input: number; output: number };
}

export interface Engine {
  name: 'claude' | 'local';
  model?: string;
  run(turn: EngineTurn): Promise<EngineResult>;
}
