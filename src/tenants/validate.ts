import { badRequest } from '../lib/errors.ts';
import type { CreateTenantInput } from './types.ts';

export const MAX_NAME_LENGTH = 100;
export const MAX_NOTES_LENGTH = 2000;
const MAX_EMAIL_LENGTH = 254;

/** Control, format, private-use and unassigned code points are not "printable". */
const NON_PRINTABLE = /\p{C}/u;
/** Syntactic check only: one `@`, no spaces, a dot in the domain, no empty labels. */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export interface ValidTenantInput {
  name: string;
  email: string;
  notes: string;
}

/**
 * Checks a create request and returns it normalised (name and email trimmed, email lower-cased).
 * Every problem is listed in one 400 `invalid_request` message; nothing is written before this passes.
 */
export function validateCreateInput(input: CreateTenantInput): ValidTenantInput {
  const problems: string[] = [];
  const raw = input as unknown as Record<string, unknown>;

  const name = typeof raw.name === 'string' ? raw.name.trim() : undefined;
  if (name === undefined) problems.push('name is required');
  else if (name.length === 0) problems.push('name must not be empty');
  else if ([...name].length > MAX_NAME_LENGTH) problems.push(`name must be at most ${MAX_NAME_LENGTH} characters`);
  else if (NON_PRINTABLE.test(name)) problems.push('name must contain only printable characters');

  const email = typeof raw.email === 'string' ? raw.email.trim().toLowerCase() : undefined;
  if (email === undefined || email.length === 0) problems.push('email is required');
  else if (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email))
    problems.push(`email "${email}" is not a valid address`);

  let notes = '';
  if (raw.notes !== undefined && raw.notes !== null) {
    if (typeof raw.notes !== 'string') problems.push('notes must be text');
    else if ([...raw.notes].length > MAX_NOTES_LENGTH)
      problems.push(`notes must be at most ${MAX_NOTES_LENGTH} characters`);
    else notes = raw.notes;
  }

  if (problems.length > 0 || name === undefined || email === undefined) {
    throw badRequest(`Invalid tenant: ${problems.join('; ')}.`);
  }
  return { name, email, notes };
}
