import { describe, expect, it } from 'vitest';
import { cryptoSuffix, generateKey, keyDigest, slugify } from '../../src/tenants/keys.ts';

const KEY = /^[a-z0-9_]{1,24}_[A-Z0-9]{8}$/;

describe('slugify', () => {
  it.each([
    ['Acme Corp', 'acme_corp'],
    ['  Beta, Inc.  ', 'beta_inc'],
    ['ÜBER--Größe & Co', 'ber_gr_e_co'],
    ['___', 'tenant'],
    ['', 'tenant'],
    ['日本語', 'tenant'],
    ['_admin', 'admin'],
    ['_global', 'global'],
    ['../../etc/passwd', 'etc_passwd'],
    ['A very long company name that goes on', 'a_very_long_company_name'],
    ['abcdefghijklmnopqrstuvw xyz', 'abcdefghijklmnopqrstuvw'],
    ['123 Numbers', '123_numbers'],
  ])('%j → %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
    expect(slug.length).toBeLessThanOrEqual(24);
  });
});

describe('generateKey', () => {
  it('is the slug plus 8 random characters from A-Z0-9', () => {
    const key = generateKey('Acme Corp', () => false);
    expect(key).toMatch(/^acme_corp_[A-Z0-9]{8}$/);
    expect(key).toMatch(KEY);
  });

  it('never starts with a reserved folder name', () => {
    for (const name of ['_admin', '_global', '', '%%%'])
      expect(generateKey(name, () => false).startsWith('_')).toBe(false);
  });

  it('retries when the random part collides with an existing key', () => {
    const suffixes = ['AAAAAAAA', 'AAAAAAAA', 'BBBBBBBB'];
    const taken = new Set(['acme_AAAAAAAA']);
    const key = generateKey(
      'Acme',
      (k) => taken.has(k),
      () => suffixes.shift() ?? 'CCCCCCCC',
    );
    expect(key).toBe('acme_BBBBBBBB');
  });

  it('gives up with an error instead of looping forever', () => {
    expect(() =>
      generateKey(
        'Acme',
        () => true,
        () => 'AAAAAAAA',
      ),
    ).toThrow(/unused access key/);
  });

  it('the CSPRNG suffix is well-formed and varies', () => {
    const seen = new Set(Array.from({ length: 200 }, () => cryptoSuffix()));
    for (const s of seen) expect(s).toMatch(/^[A-Z0-9]{8}$/);
    expect(seen.size).toBe(200);
  });

  it('digests keys with SHA-256', () => {
    expect(keyDigest('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
