import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createLocalEngine } from '../../../src/analyst/local/index.ts';
import { createToolRegistry } from '../../../src/analyst/tools/index.ts';
import type { EngineEvent, EngineResult, ToolContext, ToolResult } from '../../../src/analyst/types.ts';
import { createToolPorts } from '../../../src/analyst/wiring.ts';
import { createDocumentService } from '../../../src/documents/service.ts';
import { createGraphService } from '../../../src/graph/tenant-graph.ts';
import { systemClock } from '../../../src/lib/clock.ts';
import { tenantScope } from '../../../src/store/paths.ts';
import type { TenantRecord } from '../../../src/tenants/types.ts';

/**
 * The local engine over the REAL tools, documents service and tenant graph, in a temp data dir:
 * documents are uploaded and processed as in production, then questions are asked turn by turn.
 */
export interface Company {
  ask(
    message: string,
    history?: Array<{ question: string; answer: string }>,
  ): Promise<EngineResult & { calls: string[] }>;
  close(): Promise<void>;
}

/**
 * One tenant in a temp data dir with `files` uploaded and processed as in production (at most 10 files
 * per upload, as the API takes them), and the real tools over it. `close` removes everything.
 */
export async function loadedTenant(files: Array<{ name: string; data: Buffer }>, tenantId: string) {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-local-'));
  const graph = createGraphService({ config: { dataDir: dir }, clock: systemClock });
  await graph.init();
  const documents = createDocumentService({ config: { maxUploadMb: 20 }, clock: systemClock, graph });
  const scope = tenantScope(dir, tenantId);
  await fs.promises.mkdir(scope.dir, { recursive: true });
  for (let i = 0; i < files.length; i += 10) {
    const batch = files.slice(i, i + 10);
    async function* uploads() {
      for (const f of batch) yield { filename: f.name, stream: Readable.from([f.data]) };
    }
    await documents.upload(scope, uploads());
  }
  await documents.whenIdle(scope);
  return {
    scope,
    documents,
    tools: createToolRegistry(createToolPorts({ documents, graph })),
    async close() {
      await documents.close();
      await fs.promises.rm(dir, { recursive: true, force: true });
    },
  };
}

export async function companyWith(files: Array<{ name: string; data: Buffer }>, maxCalls = 12): Promise<Company> {
  const tenantId = 'eval_TESTKEY1';
  const { scope, tools, close } = await loadedTenant(files, tenantId);
  const engine = createLocalEngine();
  const tenant = { key: tenantId, name: 'Eval', status: 'active' } as unknown as TenantRecord;
  let turn = 0;
  return {
    async ask(message, history = []) {
      turn += 1;
      const calls: string[] = [];
      const events: EngineEvent[] = [];
      const ctx: ToolContext = {
        tenant,
        scope,
        sessionId: 'local-test',
        turn,
        callTool: (async (name: string, input: unknown): Promise<ToolResult> => {
          calls.push(name);
          const tool = tools.get(name);
          if (!tool) return { ok: false, error: { code: 'unknown_tool', message: name } };
          if (calls.length > maxCalls) return { ok: false, error: { code: 'tool_limit_reached', message: 'cap' } };
          const parsed = tool.input.safeParse(input ?? {});
          if (!parsed.success) return { ok: false, error: { code: 'invalid_input', message: parsed.error.message } };
          try {
            return { ok: true, output: await tool.run({ tenant, scope, sessionId: 'local-test', turn }, parsed.data) };
          } catch (err) {
            const e = err as Error & { code?: string };
            return { ok: false, error: { code: e.code ?? 'tool_error', message: e.message } };
          }
        }) as ToolContext['callTool'],
        emit: (e) => events.push(e),
      };
      const result = await engine.run({ message, history, ctx });
      return { ...result, calls };
    },
    close,
  };
}

export const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures');

export function filesIn(folder: string, only?: RegExp): Array<{ name: string; data: Buffer }> {
  return fs
    .readdirSync(folder)
    .filter((n) => (only ? only.test(n) : true))
    .sort()
    .map((name) => ({ name, data: fs.readFileSync(path.join(folder, name)) }));
}
