import { apiUrl } from './api-base.ts';
import { clearSession, getAccessKey, setLogoutReason } from './session.ts';

/**
 * The one HTTP client for tenant routes: adds the bearer key, parses the error shape
 * `{"error": {"code", "message"}}`, and turns a 401 into a return to the login screen with the reason.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const REVOKED_MESSAGE =
  'This access key has been revoked. Contact the OpsOrchestra team if you think this is a mistake.';
export const INVALID_MESSAGE = 'That access key is not valid. Check it and try again.';

/** The message the login screen shows for a 401 code. */
export function loginMessageFor(code: string, fallback?: string): string {
  if (code === 'access_key_revoked') return REVOKED_MESSAGE;
  if (code === 'invalid_access_key') return INVALID_MESSAGE;
  if (code === 'missing_access_key') return 'Please sign in with your access key.';
  if (code === 'too_many_attempts' || code === 'rate_limited') {
    return 'Too many attempts. Wait a minute and try again.';
  }
  return fallback ?? 'Your session ended. Please sign in again.';
}

/** Reads `{"error": {...}}` from a body; anything else becomes a generic error for the status. */
export function parseErrorBody(status: number, text: string): ApiError {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && 'error' in parsed) {
      const err = (parsed as { error: unknown }).error;
      if (err && typeof err === 'object') {
        const { code, message } = err as Record<string, unknown>;
        if (typeof code === 'string') {
          return new ApiError(status, code, typeof message === 'string' ? message : code);
        }
      }
    }
  } catch {
    // not JSON
  }
  const generic: Record<number, string> = {
    413: 'That file is too large.',
    415: 'That file type is not supported.',
    429: 'Too many requests. Wait a moment and try again.',
    502: 'The server is not reachable right now.',
    503: 'The service is temporarily unavailable.',
  };
  return new ApiError(status, `http_${status}`, generic[status] ?? `Request failed (${status}).`);
}

type UnauthorizedListener = (message: string) => void;
let unauthorizedListener: UnauthorizedListener | null = null;

/** The app shell registers how to go back to the login screen. */
export function setUnauthorizedListener(listener: UnauthorizedListener | null): void {
  unauthorizedListener = listener;
}

/** Central 401 handling: forget the key, remember why, and tell the shell. */
export function handleUnauthorized(error: ApiError): void {
  clearSession();
  const message = loginMessageFor(error.code, error.message);
  setLogoutReason(message);
  unauthorizedListener?.(message);
}

export function authHeaders(): Record<string, string> {
  const key = getAccessKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

export interface RequestOptions {
  method?: string;
  json?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** Checks a response; throws ApiError (after the central 401 handling) when it failed. */
export async function ensureOk(res: Response): Promise<Response> {
  if (res.ok) return res;
  const error = parseErrorBody(res.status, await res.text().catch(() => ''));
  if (res.status === 401) handleUnauthorized(error);
  throw error;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders(), ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  let res: Response;
  try {
    res = await fetch(apiUrl(path), { method: options.method ?? 'GET', headers, body, signal: options.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection and try again.');
  }
  await ensureOk(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}
