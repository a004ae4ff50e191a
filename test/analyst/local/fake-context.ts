import type { EngineEvent, ToolContext, ToolResult } from '../../../src/analyst/types.ts';
import type { TenantScope } from '../../../src/store/paths.ts';
import type { TenantRecord } from '../../../src/tenants/types.ts';
import { numbersIn } from '../companies/check.ts';

/** The numbers of a text as the evaluation reads them: one reader, the company set's scorer's. */
export { numbersIn };

/** A ToolContext whose tools are plain handlers: records every call and event, caps calls like the runtime. */
export type Handler = (input: Record<string, unknown>) => unknown;

export function fakeContext(handlers: Record<string, Handler>, maxCalls = 12) {
  const calls: Array<{ name: string; input: Record<string, unknown> }> = [];
  const events: EngineEvent[] = [];
  const ctx: ToolContext = {
    tenant: { key: 'acme_TEST0001', name: 'Acme' } as unknown as TenantRecord,
    scope: { tenantId: 'acme_TEST0001' } as unknown as TenantScope,
    sessionId: 's1',
    turn: 1,
    // Handlers answer with the tools' output shapes; the engine reads them through the typed contract.
    callTool: (async (name: string, input: unknown): Promise<ToolResult> => {
      const rec = (input ?? {}) as Record<string, unknown>;
      calls.push({ name, input: rec });
      if (calls.length > maxCalls) return { ok: false, error: { code: 'tool_limit_reached', message: 'cap' } };
      const h = handlers[name];
      if (!h) return { ok: false, error: { code: 'unknown_tool', message: name } };
      try {
        return { ok: true, output: h(rec) };
      } catch (err) {
        const e = err as Error & { code?: string };
        return { ok: false, error: { code: e.code ?? 'tool_error', message: e.message } };
      }
    }) as ToolContext['callTool'],
    emit(event) {
      events.push(event);
    },
  };
  return { ctx, calls, events };
}

/** The evaluation's check: the expected figure among the first eight numbers of the answer. */
export function figureFirst(answer: string, value: number, tol: { abs?: number; rel?: number }): boolean {
  return numbersIn(answer)
    .slice(0, 8)
    .some((n) =>
      tol.abs !== undefined
        ? Math.abs(Math.abs(n) - Math.abs(value)) <= tol.abs
        : Math.abs(Math.abs(n) - Math.abs(value)) <= Math.abs(value) * (tol.rel ?? 0) + 1e-9,
    );
}

export const VERDICT_RE =
  /\b(above|below|in line|higher|lower|exceeds?|trails?|better|worse|ahead|behind|top quartile|bottom quartile|median)\b/i;
