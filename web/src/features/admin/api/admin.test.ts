import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api-client.ts';
import { usageByDay, welcomeMailto } from './admin.ts';
import { ADMIN_DISABLED, adminErrorMessage, WRONG_SECRET } from './admin-client.ts';

describe('admin helpers', () => {
  it('builds a mailto link with the welcome email encoded', () => {
    const href = welcomeMailto('ops@acme.com', { subject: 'Welcome & access', body: 'Key: acme_A1\nhttp://app?x=1' });
    expect(href).toBe(
      'mailto:ops%40acme.com?subject=Welcome%20%26%20access&body=Key%3A%20acme_A1%0Ahttp%3A%2F%2Fapp%3Fx%3D1',
    );
  });

  it('zero-fills usage by day, oldest first, ending today (UTC)', () => {
    const days = usageByDay({ '2026-01-10': 4, '2026-01-08': 1, '2025-12-01': 9 }, new Date('2026-01-10T23:59:00Z'), 5);
    expect(days).toEqual([
      { date: '2026-01-06', count: 0 },
      { date: '2026-01-07', count: 0 },
      { date: '2026-01-08', count: 1 },
      { date: '2026-01-09', count: 0 },
      { date: '2026-01-10', count: 4 },
    ]);
  });

  it('says plainly whether the secret is wrong or the admin API is disabled', () => {
    expect(adminErrorMessage(new ApiError(403, 'forbidden', 'x'))).toBe(WRONG_SECRET);
    expect(adminErrorMessage(new ApiError(401, 'missing_admin_secret', 'x'))).toBe(WRONG_SECRET);
    expect(adminErrorMessage(new ApiError(503, 'admin_disabled', 'x'))).toBe(ADMIN_DISABLED);
    expect(adminErrorMessage(new ApiError(400, 'invalid_request', 'Email is not valid.'))).toBe('Email is not valid.');
  });
});
