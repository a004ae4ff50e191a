import { useQueryClient } from '@tanstack/react-query';
import { WifiOff } from 'lucide-react';
import { useEffect, useState } from 'react';
import { apiUrl } from '../lib/api-base.ts';
import { ApiError } from '../lib/api-client.ts';

/** An error that says the server (not the request) was the problem: unreachable, or a 502/503/504. */
export function isServerDown(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504) &&
    error.code !== 'admin_disabled'
  );
}

/**
 * Automatic recovery: when a page's request fails because the server is away, a banner says so and
 * `/api/health` is polled every few seconds; once the server answers, every page that failed loads
 * again by itself (no reload needed).
 */
export function ServerRecovery() {
  const queryClient = useQueryClient();
  const [down, setDown] = useState(false);

  useEffect(() => {
    const cache = queryClient.getQueryCache();
    return cache.subscribe((event) => {
      if (event.type === 'updated' && event.query.state.status === 'error' && isServerDown(event.query.state.error))
        setDown(true);
    });
  }, [queryClient]);

  useEffect(() => {
    if (!down) return;
    let stopped = false;
    const probe = async () => {
      try {
        const res = await fetch(apiUrl('/api/health'), { cache: 'no-store' });
        if (res.ok && !stopped) {
          setDown(false);
          await queryClient.refetchQueries({ predicate: (q) => q.state.status === 'error' });
        }
      } catch {
        // still away
      }
    };
    const timer = window.setInterval(() => void probe(), 3000);
    window.addEventListener('online', probe);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      window.removeEventListener('online', probe);
    };
  }, [down, queryClient]);

  if (!down) return null;
  return (
    <div
      role="status"
      className="fixed inset-x-0 top-0 z-50 flex items-center justify-center gap-2 bg-amber-100 px-4 py-2 text-sm text-amber-950 shadow dark:bg-amber-900 dark:text-amber-50"
      data-testid="server-down"
    >
      <WifiOff className="size-4" aria-hidden /> The server is not reachable. Retrying — this page reloads by itself
      when it is back.
    </div>
  );
}
