import type { TextBlock } from '../documents/types.ts';

/**
 * Plain statements about the company found in a document's text: sentences shaped "Our/The <thing>
 * is/are/was <value>" ("Our largest customer is Contoso Retail at $18,400 MRR", "The next board meeting
 * is on 2026-08-14 in Seattle"). Deliberately narrow: a fact is only kept with the block it came from,
 * and the text stays data (nothing here is ever executed or followed).
 */
export interface TextFact {
  subject: string;
  predicate: string;
  object: string;
  locator: string;
}

const MAX_PER_DOCUMENT = 50;
const STATEMENT =
  /^(?:[-*•]\s*)?(?:our|the)\s+([a-z][a-z0-9 &'’/-]{2,60}?)\s+(?:is|are|was|were|will be)\s+(.{2,160}?)[.!]?$/i;
// Sentences that start like a statement but say nothing stable about the company.
const VAGUE = /^(goal|plan|idea|question|answer|following|above|below|same|result|reason why|purpose)$/i;

export function factsFromText(blocks: TextBlock[]): TextFact[] {
  const out: TextFact[] = [];
  for (const block of blocks) {
    for (const sentence of block.text.split(/(?<=[.!?])\s+|\n+/)) {
      const s = sentence.trim();
      if (s.length < 8 || s.length > 220) continue;
      const m = STATEMENT.exec(s);
      if (!m) continue;
      const predicate = m[1]!.trim().replace(/\s+/g, ' ').toLowerCase();
      const object = m[2]!.trim().replace(/\s+/g, ' ');
      if (VAGUE.test(predicate) || /^(not|also|that|to)\b/i.test(object)) continue;
      out.push({ subject: 'company', predicate, object, locator: block.locator });
      if (out.length >= MAX_PER_DOCUMENT) return out;
    }
  }
  return out;
}
