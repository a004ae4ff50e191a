import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { GraphEdge, GraphNode } from '../../../lib/api-types.ts';

export function useGraph() {
  return useQuery({
    queryKey: ['graph'],
    queryFn: ({ signal }) => api<{ nodes: GraphNode[]; edges: GraphEdge[] }>('/api/graph', { signal }),
  });
}
