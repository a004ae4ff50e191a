import type { TextBlock } from '../types.ts';
import { LIMITS } from './limits.ts';

/** Collapse runs of whitespace the way a reader sees the text. */
export function clean(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Split a long text into blocks of at most `LIMITS.maxBlockChars`, at sentence or word boundaries. */
export function splitLong(text: string, locator: string, heading?: string): TextBlock[] {
  const out: TextBlock[] = [];
  let rest = text;
  while (rest.length > LIMITS.maxBlockChars) {
    const window = rest.slice(0, LIMITS.maxBlockChars);
    let cut = Math.max(window.lastIndexOf('. '), window.lastIndexOf('\n'));
    if (cut < LIMITS.maxBlockChars / 2) cut = window.lastIndexOf(' ');
    if (cut < LIMITS.maxBlockChars / 2) cut = LIMITS.maxBlockChars - 1;
    out.push(block(rest.slice(0, cut + 1), locator, heading));
    rest = rest.slice(cut + 1);
  }
  if (rest.trim()) out.push(block(rest, locator, heading));
  return out;
}

function block(text: string, locator: string, heading?: string): TextBlock {
  return heading ? { text: clean(text), locator, heading } : { text: clean(text), locator };
}

/** `Highlights ¶3`, or `¶3` before the first heading. */
export function paragraphLocator(heading: string | undefined, n: number): string {
  return heading ? `${heading} ¶${n}` : `¶${n}`;
}
