/**
 * Keys are pasted from emails and chat apps, which add spaces, line breaks and zero-width characters.
 * An access key never contains whitespace, so all of it is removed, not just the ends.
 */
export function normalizeAccessKey(raw: string): string {
  return raw.replace(/[\s\u200b-\u200d\u2060\ufeff]/g, '');
}
