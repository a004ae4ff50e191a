const MAX_NAME = 200;

/**
 * The id Notion appends to every exported page ("Board Memo 3a9f1c2e8b7d4f0a9c1e2d3b4a5f6e7d.md"): 32
 * hex digits after a space, before the extension. It is no part of the title, and shown in an answer
 * its digits read as figures, so the display name drops it (the stored file keeps its own server id).
 */
const NOTION_ID = /\s+[0-9a-f]{32}(?=(?:\.[a-z0-9]{1,10})?$)/i;

/**
 * The display name of an upload, as metadata only (the file is stored under a server-made id): the
 * last path segment, without control characters, path separators or characters that are unsafe in
 * file names or markup, without leading dots, without a Notion export's trailing page id, at most 200
 * characters (the extension is kept).
 */
export function cleanDisplayName(raw: string | undefined): string {
  let name = (raw ?? '').normalize('NFC');
  // Drop control characters (NUL included) and bidi overrides before anything else.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  const segments = name.split(/[\\/]/);
  name = segments[segments.length - 1] ?? '';
  name = name
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '');
  // The id follows a space, so a file named by its id alone keeps it.
  name = name.replace(NOTION_ID, '');
  if (name.length > MAX_NAME) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = name.slice(0, MAX_NAME - ext.length).trimEnd() + ext;
  }
  return name || 'document';
}

/** `Content-Disposition: attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
