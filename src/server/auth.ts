import { AppError } from '../lib/errors.ts';
import type { TenantRecord } from '../tenants/types.ts';
import type { AuthThrottle } from './plugins/throttle.ts';
import type { Services } from './services.ts';

/** Longest string we even try to look up as a key (longer is never a key). */
const MAX_KEY_LENGTH = 200;

/**
 * Resolves an access key to an active tenant, for the login route and the tenant guard alike:
 * throttled per address, looked up by digest in the tenant service, revocation honoured.
 */
export async function resolveAccessKey(
  services: Services,
  throttle: AuthThrottle,
  key: string,
  address: string,
): Promise<TenantRecord> {
  throttle.check(address);
  const tenant = key.length <= MAX_KEY_LENGTH ? await services.tenants.authenticate(key) : undefined;
  if (!tenant) {
    throttle.fail(address);
    throw new AppError(401, 'invalid_access_key', 'This access key is not valid.');
  }
  if (tenant.status === 'revoked') {
    throw new AppError(401, 'access_key_revoked', 'This access key has been revoked. Contact the operator.');
  }
  return tenant;
}

/** `Authorization: Bearer <key>` → the key; anything else → 401 missing_access_key. */
export function bearerKey(header: string | undefined): string {
  const match = header === undefined ? null : /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    throw new AppError(401, 'missing_access_key', 'Send your access key as "Authorization: Bearer <key>".');
  }
  return match[1];
}
