import { z } from 'zod';
import type { Tool } from '../types.ts';
import { changeBetweenTool } from './change_between.ts';
import { compareToBenchmarkTool } from './compare_to_benchmark.ts';
import { computeMetricTool } from './compute_metric.ts';
import { getBenchmarkTool } from './get_benchmark.ts';
import { getMetricTool } from './get_metric.ts';
import { listMetricsTool } from './list_metrics.ts';
import type { ToolPorts } from './ports.ts';
import { queryRecordsTool } from './query_records.ts';
import { queryTableTool } from './query_table.ts';
import { rememberFactTool } from './remember_fact.ts';
import { searchDocumentsTool } from './search_documents.ts';

export type ToolRegistry = ReadonlyMap<string, Tool>;

/** The analyst's tools by name, each with its own input schema and output type. */
function toolSet(ports: ToolPorts) {
  return {
    search_documents: searchDocumentsTool(ports),
    list_metrics: listMetricsTool(ports),
    get_metric: getMetricTool(ports),
    compute_metric: computeMetricTool(ports),
    change_between: changeBetweenTool(ports),
    query_table: queryTableTool(ports),
    query_records: queryRecordsTool(ports),
    get_benchmark: getBenchmarkTool(ports),
    compare_to_benchmark: compareToBenchmarkTool(ports),
    remember_fact: rememberFactTool(ports),
  };
}
type ToolSet = ReturnType<typeof toolSet>;
export type ToolName = keyof ToolSet;
/** What each tool takes (as a caller writes it) and returns: `ctx.callTool(name, input)` is typed by these. */
export type ToolInputs = { [N in ToolName]: ToolSet[N] extends Tool<infer I, unknown> ? z.input<I> : never };
export type ToolOutputs = { [N in ToolName]: ToolSet[N] extends Tool<z.ZodType, infer O> ? O : never };

/** The analyst's tools (DESIGN.md §7), the same set for both engines, bound to the documents and graph. */
export function createToolRegistry(ports: ToolPorts): ToolRegistry {
  const tools: Tool[] = Object.values(toolSet(ports));
  return new Map(tools.map((t) => [t.name, t]));
}

export interface ToolSchema {
  name: string;
  description: string;
  input_schema: { type: 'object'; [key: string]: unknown };
}

/** The tools as the Messages API takes them: name, description, JSON Schema of the input. */
export function toolSchemas(registry: ToolRegistry): ToolSchema[] {
  return [...registry.values()].map((tool) => {
    const { $schema: _ignored, ...schema } = z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>;
    return { name: tool.name, description: tool.description, input_schema: { ...schema, type: 'object' } };
  });
}
