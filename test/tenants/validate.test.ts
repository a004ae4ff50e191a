import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.ts';
import { validateCreateInput } from '../../src/tenants/validate.ts';

function problem(input: Record<string, unknown>): string {
  try {
    validateCreateInput(input as never);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
    expect((err as AppError).code).toBe('invalid_request');
    return (err as Error).message;
  }
  throw new Error('expected a validation error');
}

describe('validateCreateInput', () => {
  it('trims the name and lower-cases the email', () => {
    expect(validateCreateInput({ name: '  Acme Corp ', email: ' Ops@ACME.com ', notes: 'hi\nthere' })).toEqual({
      name: 'Acme Corp',
      email: 'ops@acme.com',
      notes: 'hi\nthere',
    });
  });

  it('accepts 100 characters (counted as characters, not bytes) and refuses 101', () => {
    expect(validateCreateInput({ name: 'é'.repeat(100), email: 'a@b.co' }).name).toHaveLength(100);
    expect(problem({ name: 'x'.repeat(101), email: 'a@b.co' })).toMatch(/name must be at most 100/);
  });

  it('refuses empty and non-printable names', () => {
    expect(problem({ name: '   ', email: 'a@b.co' })).toMatch(/name must not be empty/);
    expect(problem({ name: 'Acme\u0000', email: 'a@b.co' })).toMatch(/printable/);
    expect(problem({ name: 'Ac\nme', email: 'a@b.co' })).toMatch(/printable/);
    expect(problem({ email: 'a@b.co' })).toMatch(/name is required/);
  });

  it.each(['', 'plain', 'a@b', 'a b@c.de', '@c.de', 'a@.de', 'a@b..de', 'a@@b.de'])('refuses the email %j', (email) => {
    expect(problem({ name: 'Acme', email })).toMatch(/email/);
  });

  it('refuses notes over 2,000 characters and says every problem at once', () => {
    expect(validateCreateInput({ name: 'A', email: 'a@b.co', notes: 'n'.repeat(2000) }).notes).toHaveLength(2000);
    const message = problem({ name: '', email: 'nope', notes: 'n'.repeat(2001) });
    expect(message).toMatch(/name must not be empty/);
    expect(message).toMatch(/email "nope" is not a valid address/);
    expect(message).toMatch(/notes must be at most 2000/);
  });
});
