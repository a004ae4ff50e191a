import { z } from 'zod';
import type { Fact } from '../../graph/types.ts';
import { defineTool } from './define.ts';
import type { ToolPorts } from './ports.ts';

export interface RememberFactOutput {
  fact: Fact;
}

/** Output: `{fact}`. Stored in the calling tenant's graph, sourced to this session and turn. */
export const rememberFactTool = (ports: ToolPorts) =>
  defineTool({
    name: 'remember_fact',
    description:
      'Remembers a fact the user stated about their company (e.g. "our fiscal year starts in July") for later turns.',
    input: z.object({
      subject: z.string().trim().min(1).max(200),
      predicate: z.string().trim().min(1).max(200),
      object: z.string().trim().min(1).max(1000),
    }),
    async run(ctx, input): Promise<RememberFactOutput> {
      const fact = await ports.graph.rememberFact(ctx.scope, input, { conversation: ctx.sessionId, turn: ctx.turn });
      return { fact };
    },
  });
