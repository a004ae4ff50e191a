import { apiUrl } from '../../../lib/api-base.ts';
import { ApiError, loginMessageFor, parseErrorBody } from '../../../lib/api-client.ts';

export interface LoginResult {
  tenant: { id: string; name: string };
}

/**
 * POST /api/auth/login. Not through `api()`: a 401 here is an answer for the login form,
 * not a session that ended.
 */
export async function login(accessKey: string): Promise<LoginResult> {
  let res: Response;
  try {
    res = await fetch(apiUrl('/api/auth/login'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ access_key: accessKey }),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection and try again.');
  }
  if (!res.ok) {
    const error = parseErrorBody(res.status, await res.text().catch(() => ''));
    const friendly =
      res.status === 401 || res.status === 429 ? loginMessageFor(error.code, error.message) : error.message;
    throw new ApiError(res.status, error.code, friendly);
  }
  return (await res.json()) as LoginResult;
}
