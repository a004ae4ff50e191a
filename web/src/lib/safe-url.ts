/**
 * Link policy for rendered answers: only http, https and mailto links (and same-page or same-site
 * relative links) survive. Anything else (javascript:, data:, vbscript:, file: …) becomes empty,
 * which react-markdown renders as a link to nowhere.
 */
const ALLOWED = new Set(['http:', 'https:', 'mailto:']);

export function safeUrl(url: string): string {
  // Browsers ignore control characters and whitespace inside a scheme (`java\tscript:`), so must we.
  const cleaned = Array.from(url)
    .filter((ch) => {
      const code = ch.charCodeAt(0);
      return code > 0x20 && (code < 0x7f || code > 0x9f);
    })
    .join('');
  const colon = cleaned.indexOf(':');
  const firstDelimiter = cleaned.search(/[/?#]/);
  const hasScheme = colon !== -1 && (firstDelimiter === -1 || colon < firstDelimiter);
  if (!hasScheme) return url.trim();
  const scheme = `${cleaned.slice(0, colon).toLowerCase()}:`;
  return ALLOWED.has(scheme) ? url.trim() : '';
}
