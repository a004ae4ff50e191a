import type { Config } from '../config.ts';
import type { Clock } from '../lib/clock.ts';
import { isoSeconds } from '../lib/clock.ts';
import type { TenantScope } from '../store/paths.ts';
import type { TenantService } from '../tenants/service.ts';
import type { TenantRecord } from '../tenants/types.ts';
import type { LangfuseExporter } from '../traces/langfuse.ts';
import { appendTraceEvent } from '../traces/store.ts';
import { type ChatAnswer, type ChatStreamEvent, type Log, runChatTurn } from './chat.ts';
import { selectEngine } from './engine.ts';
import { SessionStore } from './sessions.ts';
import { createToolRegistry, type ToolRegistry } from './tools/index.ts';
import type { ToolPorts } from './tools/ports.ts';
import type { Engine, TurnLimits } from './types.ts';

export interface AnalystService {
  readonly engine: Engine;
  readonly tools: ToolRegistry;
  readonly sessions: SessionStore;
  /** One turn (see runChatTurn). Errors are AppErrors: 404 session_not_found, 429 budget_exceeded, 401 access_key_revoked, 502 analyst_unavailable. */
  chat(
    req: { tenant: TenantRecord; scope: TenantScope; message: string; sessionId?: string; signal?: AbortSignal },
    onEvent?: (event: ChatStreamEvent) => void,
  ): Promise<ChatAnswer>;
  /** Stores feedback on the turn and in the session's trace; sends it to Langfuse as a score. */
  feedback(
    scope: TenantScope,
    input: { session_id: string; turn: number; rating: 'up' | 'down'; comment?: string | null },
  ): Promise<void>;
  /** Thumbs and comments over all the tenant's sessions (for the operator's tenant view). */
  feedbackSummary(scope: TenantScope): Promise<{
    up: number;
    down: number;
    comments: Array<{ session_id: string; turn: number; rating: string; comment: string; at: string }>;
  }>;
  close(): Promise<void>;
}

export interface AnalystServiceOptions {
  config: Config;
  clock: Clock;
  tenants: TenantService;
  ports: ToolPorts;
  /** Instead of the configured one (tests). */
  engine?: Engine;
  /** The Langfuse exporter (createServices builds it when config.langfuse is set); absent or `null` = none. */
  langfuse?: LangfuseExporter | null;
  limits?: Partial<TurnLimits>;
  log?: Log;
}

export function createAnalystService(opts: AnalystServiceOptions): AnalystService {
  const log: Log = opts.log ?? { warn: () => {} };
  const tools = createToolRegistry(opts.ports);
  const engine = opts.engine ?? selectEngine(opts.config, tools);
  const sessions = new SessionStore(opts.clock);
  const langfuse = opts.langfuse ?? undefined;

  let closing: Promise<void> | undefined;
  return {
    engine,
    tools,
    sessions,
    chat(req, onEvent) {
      return runChatTurn(
        {
          engine,
          tools,
          sessions,
          tenants: opts.tenants,
          clock: opts.clock,
          dailyTokenBudget: opts.config.dailyTokenBudget,
          limits: opts.limits,
          observeTurn: langfuse ? (meta) => langfuse.observeTurn(meta) : undefined,
          log,
        },
        req,
        onEvent,
      );
    },
    async feedback(scope, input) {
      const at = isoSeconds(opts.clock.now());
      const comment = input.comment?.trim() ? input.comment.trim() : null;
      const turn = await sessions.setFeedback(scope, input.session_id, input.turn, {
        rating: input.rating,
        comment,
        at,
      });
      await appendTraceEvent(scope, {
        ts: at,
        session_id: input.session_id,
        turn: input.turn,
        type: 'feedback',
        output: { rating: input.rating, comment },
      });
      if (langfuse && turn.langfuse_trace_id) {
        await langfuse.score(turn.langfuse_trace_id, {
          name: 'user_feedback',
          value: input.rating === 'up' ? 1 : 0,
          comment,
        });
      }
    },
    async feedbackSummary(scope) {
      const out = {
        up: 0,
        down: 0,
        comments: [] as Array<{ session_id: string; turn: number; rating: string; comment: string; at: string }>,
      };
      for (const summary of await sessions.list(scope)) {
        const session = await sessions.get(scope, summary.id);
        for (const t of session?.turns ?? []) {
          if (!t.feedback) continue;
          if (t.feedback.rating === 'up') out.up += 1;
          else out.down += 1;
          if (t.feedback.comment) {
            out.comments.push({
              session_id: summary.id,
              turn: t.turn,
              rating: t.feedback.rating,
              comment: t.feedback.comment,
              at: t.feedback.at,
            });
          }
        }
      }
      out.comments.sort((a, b) => b.at.localeCompare(a.at));
      return out;
    },
    close() {
      closing ??= langfuse?.shutdown() ?? Promise.resolve();
      return closing;
    },
  };
}
