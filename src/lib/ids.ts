import crypto from 'node:crypto';

/** A server-made id (`doc_…`, `ses_…`): prefix plus 16 lower-case base32-ish random characters. */
export function newId(prefix: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = crypto.randomBytes(16);
  let out = '';
  for (const b of bytes) out += alphabet[b & 31];
  return `${prefix}_${out}`;
}
