import { describe, expect, it } from 'vitest';
import { normalizeAccessKey } from './access-key.ts';
import { withKeys } from './keys.ts';

describe('normalizeAccessKey', () => {
  it('removes whitespace and invisible characters a paste brings along', () => {
    expect(normalizeAccessKey('  acme_corp_A1B2C3D4 \n')).toBe('acme_corp_A1B2C3D4');
    expect(normalizeAccessKey('acme_corp_\u200bA1B2C3D4\ufeff')).toBe('acme_corp_A1B2C3D4');
    expect(normalizeAccessKey('acme_corp_A1B2 C3D4\t')).toBe('acme_corp_A1B2C3D4');
    expect(normalizeAccessKey('   ')).toBe('');
  });
});

describe('withKeys', () => {
  it('derives keys from content and numbers repeats', () => {
    expect(withKeys(['a', 'b', 'a', 'a'], (x) => x).map((k) => k.key)).toEqual(['a', 'b', 'a#1', 'a#2']);
  });
});
