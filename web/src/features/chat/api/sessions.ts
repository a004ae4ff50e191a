import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { SessionSummary, Turn } from '../../../lib/api-types.ts';

export const sessionsKey = ['sessions'] as const;

export function useSessions() {
  return useQuery({
    queryKey: sessionsKey,
    queryFn: ({ signal }) => api<{ sessions: SessionSummary[] }>('/api/sessions', { signal }),
    select: (d) => d.sessions,
  });
}

export interface SessionDetail {
  session: Omit<SessionSummary, 'turns'>;
  turns: Turn[];
}

export function useSession(id: string | undefined) {
  return useQuery({
    queryKey: ['sessions', id],
    queryFn: ({ signal }) => api<SessionDetail>(`/api/sessions/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: Boolean(id),
  });
}

export function renameSession(id: string, title: string) {
  return api<{ session: SessionSummary }>(`/api/sessions/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    json: { title },
  });
}

export function sendFeedback(body: { session_id: string; turn: number; rating: 'up' | 'down'; comment?: string }) {
  return api<{ ok: true }>('/api/feedback', { method: 'POST', json: body });
}
