import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  api,
  loginMessageFor,
  parseErrorBody,
  REVOKED_MESSAGE,
  setUnauthorizedListener,
} from './api-client.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedListener(null);
});

describe('api client', () => {
  it('parses the error shape, and falls back to a readable message', () => {
    const e = parseErrorBody(404, '{"error":{"code":"document_not_found","message":"No such document."}}');
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message]).toEqual([404, 'document_not_found', 'No such document.']);
    expect(parseErrorBody(413, '<html>too big</html>').message).toBe('That file is too large.');
    expect(parseErrorBody(500, '').code).toBe('http_500');
  });

  it('distinguishes a revoked key from an invalid one', () => {
    expect(loginMessageFor('access_key_revoked')).toBe(REVOKED_MESSAGE);
    expect(REVOKED_MESSAGE).toMatch(/^This access key has been revoked/);
    expect(loginMessageFor('invalid_access_key')).toMatch(/not valid/);
    expect(loginMessageFor('something_else', 'Server says no.')).toBe('Server says no.');
  });

  it('sends JSON, and on 401 tells the shell why the session ended', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(JSON.stringify({ error: { code: 'access_key_revoked', message: 'revoked' } }), {
        status: 401,
        headers: { 'content-type': 'application/json' },
      });
    });
    const reasons: string[] = [];
    setUnauthorizedListener((m) => reasons.push(m));
    await expect(api('/api/sessions/x', { method: 'PATCH', json: { title: 'Q1' } })).rejects.toMatchObject({
      status: 401,
      code: 'access_key_revoked',
    });
    expect(calls[0]?.init.body).toBe('{"title":"Q1"}');
    expect(reasons).toEqual([REVOKED_MESSAGE]);
  });

  it('turns a network failure into a plain message', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('fetch failed');
    });
    await expect(api('/api/me')).rejects.toMatchObject({ code: 'network_error' });
  });
});
