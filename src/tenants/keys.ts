import crypto from 'node:crypto';

/** Access keys (DESIGN.md §4): `<slug>_<8 random characters A-Z0-9>`. */
export const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const SUFFIX_LENGTH = 8;
export const MAX_SLUG_LENGTH = 24;

/** A source of random suffixes; the default is the CSPRNG. Tests inject a scripted one. */
export type SuffixSource = () => string;

/** 8 characters from A-Z0-9, each drawn uniformly with `crypto.randomInt` (no modulo bias). */
export const cryptoSuffix: SuffixSource = () => {
  let out = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) out += SUFFIX_ALPHABET[crypto.randomInt(SUFFIX_ALPHABET.length)];
  return out;
};

/**
 * The name in lower case, every run of other characters replaced by `_`, trimmed of `_`, at most 24
 * characters, `tenant` if nothing is left. Only ASCII letters and digits survive, so a slug can never
 * start with `_` and the key can never name a reserved folder (`_admin`, `_global`).
 */
export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/_+$/, '');
  return slug || 'tenant';
}

export const MAX_KEY_ATTEMPTS = 20;

/**
 * A key for `name` that `isTaken` rejects for no existing key (active, revoked or purged) and no
 * existing folder. A collision of the random part is retried with a fresh suffix.
 */
export function generateKey(name: string, isTaken: (key: string) => boolean, suffix: SuffixSource = cryptoSuffix) {
  const slug = slugify(name);
  for (let attempt = 0; attempt < MAX_KEY_ATTEMPTS; attempt++) {
    const random = suffix();
    if (!/^[A-Z0-9]{8}$/.test(random)) throw new Error('the key suffix source produced a malformed suffix');
    const key = `${slug}_${random}`;
    if (!isTaken(key)) return key;
  }
  throw new Error(`could not find an unused access key after ${MAX_KEY_ATTEMPTS} attempts`);
}

/** SHA-256 of a key: the registry is looked up by digest so the comparison cannot leak timing. */
export function keyDigest(key: string): string {
  return crypto.createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The key that authenticates a tenant now: its rotated key, or the key it was created with. */
export function accessKeyOf(t: { key: string; access_key?: string }): string {
  return t.access_key ?? t.key;
}

/** `acme_corp_••••7Q2M`: enough to recognise a key in a list or a log, not to use it. */
export function maskKey(key: string): string {
  const cut = key.lastIndexOf('_');
  if (cut < 0 || key.length - cut - 1 < 4) return `${key.slice(0, 2)}••••`;
  return `${key.slice(0, cut + 1)}••••${key.slice(-4)}`;
}
