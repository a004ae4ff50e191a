import { ACCESS_KEY_PATTERN, LEGACY_KEY_PATTERN } from '../store/paths.ts';

/** A legacy key (VALID_TENANT_KEYS) we can keep as an access key: a safe alphabet, never a reserved folder. */
export function isUsableLegacyKey(key: string): boolean {
  return (ACCESS_KEY_PATTERN.test(key) || LEGACY_KEY_PATTERN.test(key)) && !key.startsWith('_');
}

/** `acme_corp_A1B2C3D4` → `Acme Corp`; other shapes → the key's words, capitalised. */
export function nameFromLegacyKey(key: string): string {
  const base = ACCESS_KEY_PATTERN.test(key) ? key.slice(0, -9) : key;
  const words = base.split(/[_-]+/).filter(Boolean);
  const name = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
  return name.slice(0, 100) || key;
}
