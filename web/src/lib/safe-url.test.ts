import { describe, expect, it } from 'vitest';
import { safeUrl } from './safe-url.ts';

describe('safeUrl (markdown link policy)', () => {
  it('keeps http, https and mailto links', () => {
    expect(safeUrl('https://www.bvp.com/atlas')).toBe('https://www.bvp.com/atlas');
    expect(safeUrl('http://example.com/a?b=c#d')).toBe('http://example.com/a?b=c#d');
    expect(safeUrl('mailto:ops@acme.com')).toBe('mailto:ops@acme.com');
    expect(safeUrl('HTTPS://EXAMPLE.COM')).toBe('HTTPS://EXAMPLE.COM');
  });

  it('keeps relative links', () => {
    expect(safeUrl('/documents/abc?locator=row%205')).toBe('/documents/abc?locator=row%205');
    expect(safeUrl('#sources')).toBe('#sources');
    expect(safeUrl('docs/a:b')).toBe('docs/a:b');
  });

  it('drops script-capable and other schemes, including obfuscated ones', () => {
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      '\u0001javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://example.com',
    ]) {
      expect(safeUrl(url), url).toBe('');
    }
  });
});
