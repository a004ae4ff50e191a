import fs from 'node:fs';
import iconv from 'iconv-lite';
import jschardet from 'jschardet';

/**
 * The character set of a text export (CSV/TSV), from a sample of its first bytes:
 * 1. a byte-order mark (UTF-8, UTF-16 LE/BE);
 * 2. valid UTF-8 without NUL bytes → `utf-8` (most exports, and all ASCII);
 * 3. otherwise jschardet 4 (a port of chardet 7, the universal charset detector), which tells
 *    Windows-1252 / Latin-1 from European Excel, the other code pages, and UTF-16 without a BOM;
 *    decoded with iconv-lite. Latin-1 and Windows-1252 are both read as Windows-1252 (its bytes
 *    0x80–0x9F are €, “, ” … in real exports, not C1 controls).
 * Returns undefined for data that is not text (binary, or an encoding iconv-lite cannot decode).
 */
export function detectCharset(sample: Buffer, cut = false): string | undefined {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  if (isUtf8Text(sample, cut)) return 'utf-8';
  const name = jschardet.detect(sample).encoding?.toLowerCase();
  if (!name) return undefined;
  if (name === 'ascii') return 'utf-8';
  if (name === 'iso-8859-1' || name === 'iso8859-1' || name === 'latin-1') return 'windows-1252';
  if (!iconv.encodingExists(name)) return undefined;
  // Text, once decoded, has no control characters but tab, line breaks and form feed.
  return hasControlChars(iconv.decode(sample, name)) ? undefined : name;
}

/** Decode a whole buffer in `charset` (the BOM dropped). */
export function decode(buf: Buffer, charset: string): string {
  return iconv.decode(buf, charset, { stripBOM: true });
}

/** UTF-8 without NUL bytes; in a cut sample, a multi-byte character cut at its end is allowed. */
export function isUtf8Text(sample: Buffer, cut = false): boolean {
  if (sample.includes(0)) return false;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let trim = 0; trim < (cut ? 4 : 1) && trim <= sample.length; trim++) {
    try {
      decoder.decode(sample.subarray(0, sample.length - trim));
      return true;
    } catch {
      // Try again without a possibly cut trailing character.
    }
  }
  return false;
}

function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) return true;
  }
  return false;
}

/** The first `bytes` of a file: the sample its type and character set are told from. */
export async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
