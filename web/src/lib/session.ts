import { readItem, removeItem, writeItem } from './storage.ts';

/**
 * The partner's access key: sessionStorage by default (gone when the browser closes), localStorage
 * when they chose "remember me". The tenant's display name is kept next to it for the sidebar.
 */
const KEY = 'oo.access_key';
const TENANT = 'oo.tenant';
const REASON = 'oo.logout_reason';

export interface StoredTenant {
  id: string;
  name: string;
}

export function getAccessKey(): string | null {
  return readItem('session', KEY) ?? readItem('local', KEY);
}

export function getStoredTenant(): StoredTenant | null {
  const raw = readItem('session', TENANT) ?? readItem('local', TENANT);
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === 'object' && 'id' in parsed && 'name' in parsed) {
      const { id, name } = parsed as Record<string, unknown>;
      if (typeof id === 'string' && typeof name === 'string') return { id, name };
    }
  } catch {
    // fall through
  }
  return null;
}

export function saveSession(key: string, tenant: StoredTenant, remember: boolean): void {
  clearSession();
  const which = remember ? 'local' : 'session';
  writeItem(which, KEY, key);
  writeItem(which, TENANT, JSON.stringify(tenant));
}

export function clearSession(): void {
  for (const which of ['local', 'session'] as const) {
    removeItem(which, KEY);
    removeItem(which, TENANT);
  }
}

/** Why the partner was sent back to the login screen; shown once there. */
export function setLogoutReason(message: string): void {
  writeItem('session', REASON, message);
}

export function takeLogoutReason(): string | null {
  const message = readItem('session', REASON);
  removeItem('session', REASON);
  return message;
}
