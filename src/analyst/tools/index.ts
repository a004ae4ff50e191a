import { z } from 'zod';
import type { Tool } from '../types.ts';
import { compareToBenchmarkTool } from './compare_to_benchmark.ts';
import { computeMetricTool } from './compute_metric.ts';
import { getBenchmarkTool } from './get_benchmark.ts';
import { getMetricTool } from './get_metric.ts';
import { listMetricsTool } from './list_metrics.ts';
import type { ToolPorts } from './ports.ts';
import { queryTableTool } from './query_table.ts';
import { rememberFactTool } from './remember_fact.ts';
import { searchDocumentsTool } from './search_documents.ts';

export type ToolRegistry = ReadonlyMap<string, Tool>;

/** The analyst's tools (DESIGN.md §7), the same set for both engines, bound to the documents and graph. */
export function createToolRegistry(ports: ToolPorts): ToolRegistry {
  const tools = [
    searchDocumentsTool(ports),
    listMetricsTool(ports),
    getMetricTool(ports),
    computeMetricTool(ports),
    queryTableTool(ports),
    getBenchmarkTool(ports),
    compareToBenchmarkTool(ports),
    rememberFactTool(ports),
  ];
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
