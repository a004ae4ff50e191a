import Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  Message,
  MessageParam,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages/messages';
import { AppError } from '../../lib/errors.ts';
import { collectAnswerParts } from '../answer-parts.ts';
import { type ToolRegistry, toolSchemas } from '../tools/index.ts';
import type { Engine, EngineResult, EngineTurn, ToolResult } from '../types.ts';
import { systemPrompt } from './prompt.ts';

export interface ClaudeEngineOptions {
  apiKey: string;
  model: string;
  baseURL?: string;
  tools: ToolRegistry;
  /** Retries with backoff on 429, 5xx and connection errors (the SDK's own, honouring retry-after). */
  maxRetries?: number;
  /** LLM calls per turn; the last one is made with tools disabled so the model must answer. */
  maxIterations?: number;
  maxTokens?: number;
  timeoutMs?: number;
}

/**
 * Engine `claude`: the Messages API with streaming and tool use. Text deltas stream to the user as
 * they arrive; each call is reported as an `llm_call` event (tokens, duration); tools run only through
 * `ctx.callTool`. The SDK's own OpenTelemetry spans are off: the Langfuse exporter records each call
 * as a generation from the `llm_call` event, so the calls are not wrapped twice.
 */
export function createClaudeEngine(opts: ClaudeEngineOptions): Engine {
  const client = new Anthropic({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL,
    maxRetries: opts.maxRetries ?? 3,
    timeout: opts.timeoutMs ?? 120_000,
    openTelemetry: false,
  });
  // Prompt caching: the tool definitions and the system prompt are the same on every call of every turn,
  // so both end with a cache breakpoint (the tools come first in the cached prefix, then the system).
  const schemas = toolSchemas(opts.tools);
  const tools = schemas.map((t, i) =>
    i === schemas.length - 1 ? { ...t, cache_control: { type: 'ephemeral' as const } } : t,
  );
  const maxIterations = opts.maxIterations ?? 8;

  return {
    name: 'claude',
    model: opts.model,
    async run(turn: EngineTurn): Promise<EngineResult> {
      const { ctx } = turn;
      const messages: MessageParam[] = [
        ...turn.history.flatMap((h): MessageParam[] => [
          { role: 'user', content: h.question },
          { role: 'assistant', content: h.answer },
        ]),
        { role: 'user', content: turn.message },
      ];
      const tokens = { input: 0, output: 0 };
      const results: ToolResult[] = [];
      let answer = '';

      for (let i = 0; i < maxIterations; i++) {
        const used = ctx.usage?.().tokens ?? 0;
        const last = i === maxIterations - 1 || used >= (ctx.limits?.maxTurnTokens ?? Number.POSITIVE_INFINITY);
        const started = performance.now();
        let message: Message;
        try {
          const stream = client.messages.stream({
            model: opts.model,
            max_tokens: opts.maxTokens ?? 2048,
            system: [{ type: 'text', text: systemPrompt(ctx.tenant.name), cache_control: { type: 'ephemeral' } }],
            messages,
            tools,
            ...(last ? { tool_choice: { type: 'none' as const } } : {}),
          });
          stream.on('text', (delta) => ctx.emit({ type: 'delta', text: delta }));
          message = await stream.finalMessage();
        } catch (err) {
          throw unavailable(err);
        }
        const usage = { input: message.usage.input_tokens ?? 0, output: message.usage.output_tokens ?? 0 };
        const cache = {
          write: message.usage.cache_creation_input_tokens ?? 0,
          read: message.usage.cache_read_input_tokens ?? 0,
        };
        tokens.input += usage.input;
        tokens.output += usage.output;
        const text = message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
        const toolUses = message.content.flatMap((b) => (b.type === 'tool_use' ? [b] : []));
        ctx.emit({
          type: 'llm_call',
          model: message.model || opts.model,
          duration_ms: Math.round(performance.now() - started),
          tokens: usage,
          cache,
          output: { stop_reason: message.stop_reason, text, tool_calls: toolUses.map((u) => u.name) },
        });

        if (message.stop_reason !== 'tool_use' || toolUses.length === 0 || last) {
          answer = text;
          break;
        }
        if (text.trim()) ctx.emit({ type: 'plan', text: text.trim() });
        messages.push({ role: 'assistant', content: message.content.flatMap(toParam) });
        const toolResults: ToolResultBlockParam[] = [];
        for (const use of toolUses) {
          // A revoked key makes callTool throw: the turn stops here, before the tool runs.
          const result = await ctx.callTool(use.name, use.input);
          results.push(result);
          toolResults.push({
            type: 'tool_result',
            tool_use_id: use.id,
            content: bounded(JSON.stringify(result.ok ? result.output : { error: result.error })),
            ...(result.ok ? {} : { is_error: true }),
          });
        }
        messages.push({ role: 'user', content: toolResults });
      }

      const { citations, metrics } = collectAnswerParts(results);
      return { answer: answer.trim() || 'I could not produce an answer to this question.', citations, metrics, tokens };
    },
  };
}

/** Tool results go back to the model whole up to this size (a few thousand tokens), then cut with a note. */
const MAX_TOOL_RESULT_CHARS = 24_000;

function bounded(text: string): string {
  return text.length <= MAX_TOOL_RESULT_CHARS
    ? text
    : `${text.slice(0, MAX_TOOL_RESULT_CHARS)}… [cut: ${text.length - MAX_TOOL_RESULT_CHARS} more characters; ask for less]`;
}

function toParam(block: Message['content'][number]): ContentBlockParam[] {
  if (block.type === 'text') return [{ type: 'text', text: block.text }];
  if (block.type === 'tool_use') return [{ type: 'tool_use', id: block.id, name: block.name, input: block.input }];
  return [];
}

function unavailable(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const status = err instanceof Anthropic.APIError ? err.status : undefined;
  const detail = err instanceof Error ? err.message : String(err);
  return new AppError(
    502,
    'analyst_unavailable',
    `The Claude API is not available right now${status ? ` (HTTP ${status})` : ''}: ${detail.slice(0, 300)}`,
  );
}
