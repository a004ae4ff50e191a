/**
 * Access keys never reach a log whole: `acme_corp_A1B2C3D4` → `acme_corp_********`. A key without a
 * slug (a legacy key) keeps only its first 4 characters.
 */
export function redactKey(key: string): string {
  const cut = key.lastIndexOf('_');
  if (cut > 0) return `${key.slice(0, cut + 1)}${'*'.repeat(8)}`;
  return `${key.slice(0, 4)}${'*'.repeat(8)}`;
}

const KEY_IN_TEXT = /([a-z0-9_]{1,24}_)[A-Z0-9]{8}(?![A-Za-z0-9])/g;

/**
 * Any text with every key-shaped word redacted (the folder `acme_corp_A1B2C3D4` in a path becomes
 * `acme_corp_` and eight stars): the last filter on every log line, error stacks included.
 */
export function redactKeysInText(text: string): string {
  return text.replace(KEY_IN_TEXT, '$1********');
}

/** A URL fit for a log line: the admin key segment and anything shaped like a key redacted. */
export function redactUrl(url: string): string {
  const [pathPart = '', query] = url.split('?', 2);
  let out = pathPart;
  const admin = /^(\/api\/admin\/tenants\/)([^/]+)(.*)$/.exec(out);
  if (admin) out = `${admin[1]}${redactKey(safeDecode(admin[2] ?? ''))}${admin[3] ?? ''}`;
  out = out.replace(KEY_IN_TEXT, '$1********');
  if (query !== undefined) out += `?${query.replace(KEY_IN_TEXT, '$1********')}`;
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
