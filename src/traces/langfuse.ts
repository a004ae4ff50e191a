import crypto from 'node:crypto';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import {
  type LangfuseAgent,
  LangfuseOtelSpanAttributes,
  type LangfuseTool,
  setLangfuseTracerProvider,
  startObservation,
} from '@langfuse/tracing';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { TurnMeta, TurnObserver } from './recorder.ts';
import type { TraceEvent } from './types.ts';

export interface LangfuseConfig {
  publicKey: string;
  secretKey: string;
  baseUrl: string | undefined;
}

export interface LangfuseExporter {
  /** One Langfuse trace per turn: the turn as an agent observation, tool calls as tools, LLM calls as generations. */
  observeTurn(meta: TurnMeta): TurnObserver;
  /** Feedback on a turn as a score on its trace. Never throws; a failure is logged. */
  score(traceId: string, score: { name: string; value: number; comment?: string | null }): Promise<void>;
  /** Sends what is buffered (on shutdown). Never throws. */
  shutdown(): Promise<void>;
}

export interface Log {
  warn(obj: object, msg: string): void;
}

export const DEFAULT_LANGFUSE_BASE_URL = 'https://cloud.langfuse.com';

/**
 * The tenant as Langfuse sees it. The tenant id is the access key — a secret that must not leave the
 * server — so traces carry the key's readable slug and a short digest of it instead.
 */
export function tenantLabel(tenantId: string): string {
  const slug = tenantId.replace(/_[A-Z0-9]{8}$/, '');
  const digest = crypto.createHash('sha256').update(tenantId).digest('hex').slice(0, 12);
  return `${slug}#${digest}`;
}

/**
 * Langfuse export with the current SDK: `@langfuse/otel`'s span processor on a NodeTracerProvider of
 * our own (keys and base URL passed explicitly from the config, not read from the environment) and
 * `@langfuse/tracing` observations built from the decision-trace events as they are recorded. The
 * provider is handed to @langfuse/tracing only — not registered globally — so nothing else in the
 * process (e.g. the Anthropic SDK's own spans) is exported twice. An export failure is logged by the
 * exporter and never reaches a chat.
 */
export function createLangfuseExporter(
  config: LangfuseConfig,
  log: Log,
  opts: { exportMode?: 'batched' | 'immediate'; timeoutSeconds?: number } = {},
): LangfuseExporter {
  const baseUrl = config.baseUrl ?? DEFAULT_LANGFUSE_BASE_URL;
  const processor = new LangfuseSpanProcessor({
    publicKey: config.publicKey,
    secretKey: config.secretKey,
    baseUrl,
    exportMode: opts.exportMode ?? 'batched',
    timeout: opts.timeoutSeconds ?? 5,
    mediaUploadEnabled: false,
  });
  const provider = new NodeTracerProvider({ spanProcessors: [processor] });
  // OpenTelemetry reports failed exports through its diagnostic logger (silent by default): send its
  // warnings and errors to our log so an unreachable Langfuse is visible, without failing anything.
  const report = (...args: unknown[]) =>
    log.warn({ detail: args.map(String).join(' ').slice(0, 500) }, 'Langfuse export failed');
  diag.setLogger(
    { error: report, warn: report, info: () => {}, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  setLangfuseTracerProvider(provider);
  const auth = `Basic ${Buffer.from(`${config.publicKey}:${config.secretKey}`).toString('base64')}`;

  return {
    observeTurn(meta) {
      const tenant = tenantLabel(meta.tenantId);
      const root: LangfuseAgent = startObservation(
        'chat-turn',
        {
          input: meta.question,
          metadata: {
            tenant,
            tenant_name: meta.tenantName,
            session_id: meta.sessionId,
            turn: meta.turn,
            engine: meta.engine,
          },
        },
        { asType: 'agent' },
      );
      root.otelSpan.setAttributes({
        [LangfuseOtelSpanAttributes.TRACE_NAME]: 'chat',
        [LangfuseOtelSpanAttributes.TRACE_USER_ID]: tenant,
        [LangfuseOtelSpanAttributes.TRACE_SESSION_ID]: meta.sessionId,
        [LangfuseOtelSpanAttributes.TRACE_TAGS]: [
          `tenant:${tenant}`,
          `session:${meta.sessionId}`,
          `engine:${meta.engine}`,
        ],
        [LangfuseOtelSpanAttributes.TRACE_INPUT]: JSON.stringify(meta.question),
      });
      const parent = root.otelSpan.spanContext();
      const openTools = new Map<string, LangfuseTool>();
      let ended = false;

      const onEvent = (event: TraceEvent) => {
        if (ended) return;
        if (event.type === 'tool_call' && event.id) {
          openTools.set(
            event.id,
            startObservation(
              event.name ?? 'tool',
              { input: event.input },
              { asType: 'tool', parentSpanContext: parent },
            ),
          );
        } else if (event.type === 'tool_result' && event.id) {
          const tool = openTools.get(event.id);
          openTools.delete(event.id);
          tool?.update({
            output: event.output,
            ...(event.ok === false ? { level: 'ERROR' as const, statusMessage: 'tool error' } : {}),
          });
          tool?.end();
        } else if (event.type === 'llm_call') {
          const startTime = new Date(Date.now() - (event.duration_ms ?? 0));
          const generation = startObservation(
            'llm-call',
            {
              model: event.model,
              output: event.output,
              // Anthropic's own names for the prompt-cache tokens (input_tokens excludes them), which
              // Langfuse's Claude prices know, so a cached turn is costed as cached.
              usageDetails: {
                input: event.tokens?.input ?? 0,
                output: event.tokens?.output ?? 0,
                ...(event.cache
                  ? {
                      cache_creation_input_tokens: event.cache.write,
                      cache_read_input_tokens: event.cache.read,
                    }
                  : {}),
              },
            },
            { asType: 'generation', parentSpanContext: parent, startTime },
          );
          generation.end();
        } else if (event.type === 'plan') {
          startObservation('plan', { output: event.output }, { asType: 'event', parentSpanContext: parent });
        } else if (event.type === 'answer') {
          const output = event.output as { answer?: string } | undefined;
          root.update({ output: event.output });
          root.otelSpan.setAttribute(LangfuseOtelSpanAttributes.TRACE_OUTPUT, JSON.stringify(output?.answer ?? ''));
        } else if (event.type === 'error') {
          const error = event.output as { code?: string; message?: string } | undefined;
          root.update({ level: 'ERROR', statusMessage: `${error?.code}: ${error?.message}`, output: event.output });
        }
      };

      return {
        event: onEvent,
        end() {
          if (ended) return root.traceId;
          ended = true;
          for (const tool of openTools.values()) tool.end();
          root.end();
          return root.traceId;
        },
      };
    },

    async score(traceId, score) {
      try {
        const res = await fetch(`${baseUrl}/api/public/scores`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body: JSON.stringify({
            traceId,
            name: score.name,
            value: score.value,
            dataType: 'NUMERIC',
            ...(score.comment ? { comment: score.comment } : {}),
          }),
          signal: AbortSignal.timeout((opts.timeoutSeconds ?? 5) * 1000),
        });
        if (!res.ok) log.warn({ status: res.status }, 'Langfuse score export failed');
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'Langfuse score export failed');
      }
    },

    async shutdown() {
      try {
        await provider.forceFlush();
        await provider.shutdown();
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'Langfuse flush failed');
      } finally {
        setLangfuseTracerProvider(null);
      }
    },
  };
}
