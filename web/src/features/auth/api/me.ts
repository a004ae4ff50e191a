import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { Me } from '../../../lib/api-types.ts';

export const meKey = ['me'] as const;

export function fetchMe() {
  return api<{ tenant: Me }>('/api/me').then((d) => d.tenant);
}

/** Also checks the stored key on load: a revoked key answers 401 and the client returns to login. */
export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 30_000 });
}
