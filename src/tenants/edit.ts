import { badRequest } from '../lib/errors.ts';
import type { EditTenantInput, TenantRecord } from './types.ts';
import { validateCreateInput } from './validate.ts';

/**
 * Checks an edit of a partner's name, email or notes with the same rules as creation; returns the
 * fields that change. Nothing to change, or an unknown field → 400 `invalid_request`.
 */
export function validateEdit(
  current: TenantRecord,
  input: EditTenantInput,
): Partial<Pick<TenantRecord, 'name' | 'email' | 'notes'>> {
  const raw = (input ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((k) => !['name', 'email', 'notes'].includes(k));
  if (unknown.length > 0)
    throw badRequest(`Invalid edit: unknown field ${unknown.join(', ')}; name, email and notes can be changed.`);
  const merged = validateCreateInput({
    name: raw.name === undefined ? current.name : (raw.name as string),
    email: raw.email === undefined ? current.email || 'x@x.xx' : (raw.email as string),
    notes: raw.notes === undefined ? current.notes : (raw.notes as string),
  });
  const out: Partial<Pick<TenantRecord, 'name' | 'email' | 'notes'>> = {};
  if (raw.name !== undefined && merged.name !== current.name) out.name = merged.name;
  if (raw.email !== undefined && merged.email !== current.email) out.email = merged.email;
  if (raw.notes !== undefined && merged.notes !== current.notes) out.notes = merged.notes;
  return out;
}

const norm = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Partners that look like the one about to be created: the same name (ignoring case and spacing)
 * or the same email. Purged records are left out (their data is gone; the key stays retired).
 */
export function findDuplicates(tenants: TenantRecord[], input: { name: string; email: string }): TenantRecord[] {
  const name = norm(input.name ?? '');
  const email = norm(input.email ?? '');
  return tenants.filter((t) => !t.purged_at && ((name && norm(t.name) === name) || (email && norm(t.email) === email)));
}
