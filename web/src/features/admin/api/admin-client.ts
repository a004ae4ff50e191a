import { apiUrl } from '../../../lib/api-base.ts';
import { ApiError, parseErrorBody } from '../../../lib/api-client.ts';
import { readItem, removeItem, writeItem } from '../../../lib/storage.ts';

/** The operator's ADMIN_SECRET, kept for this browser session only (never localStorage). */
const SECRET = 'oo.admin_secret';

export const getAdminSecret = () => readItem('session', SECRET);
export const setAdminSecret = (secret: string) => writeItem('session', SECRET, secret);
export const clearAdminSecret = () => removeItem('session', SECRET);

export const WRONG_SECRET = 'That admin secret is not correct.';
export const ADMIN_DISABLED =
  'The admin view is disabled on this server: ADMIN_SECRET is not set. Set it and restart the server.';

/** Plain messages for the admin API's auth answers; other errors keep the server's message. */
export function adminErrorMessage(error: ApiError): string {
  if (error.status === 503 && (error.code === 'admin_disabled' || error.code.startsWith('http_')))
    return ADMIN_DISABLED;
  if (error.status === 401 || error.status === 403) return WRONG_SECRET;
  return error.message;
}

export class AdminAuthError extends ApiError {}

export async function adminApi<T>(
  path: string,
  options: { method?: string; json?: unknown; secret?: string } = {},
): Promise<T> {
  const secret = options.secret ?? getAdminSecret() ?? '';
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Admin-Secret': secret };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  let res: Response;
  try {
    res = await fetch(apiUrl(path), { method: options.method ?? 'GET', headers, body });
  } catch {
    throw new ApiError(0, 'network_error', 'Cannot reach the server.');
  }
  if (!res.ok) {
    const error = parseErrorBody(res.status, await res.text().catch(() => ''));
    const message = adminErrorMessage(error);
    if (res.status === 401 || res.status === 403 || res.status === 503) {
      throw new AdminAuthError(res.status, error.code, message);
    }
    throw new ApiError(res.status, error.code, message);
  }
  return (await res.json()) as T;
}
