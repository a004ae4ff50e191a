import { METRICS_BY_ID } from '../../graph/catalog.ts';
import { sourceText } from './answer.ts';
import type { Listing, ToolClient } from './calls.ts';
import type { MetricMention, ParsedQuestion } from './parse-question.ts';
import type { QuestionReading } from './reading.ts';
import { bestSentences, searchQuery } from './retrieval.ts';
import { citationOf, type Draft } from './shared.ts';
import { carries } from './stated.ts';
import { statedAnswer } from './stated-answers.ts';

/**
 * The one owner of "the reason" a document gives for a metric's figure. A figure's answer to "why …"
 * or "explain …" looks for the sentence that explains the movement (`supportingPassage`, searched
 * with the words of the metric and its inputs); a "why" question whose figure's answer quoted none
 * then asks the stated-fact reader for a sentence of answer type reason (`withReason`), and says
 * plainly when there is none, so the figure is not taken for the reason.
 */

/** The line written between a quoted reason and the figures. */
export const REASON_GIVEN = '**The figures**';

/**
 * The sentence that explains a metric's movement: searched with the words of the metric and of its
 * inputs ("NRR" → churn, expansion, contraction), since documents explain drivers, not ratios.
 */
export async function supportingPassage(draft: Draft, tools: ToolClient, parsed: ParsedQuestion, m: MetricMention) {
  const def = METRICS_BY_ID.get(m.id);
  const inputs = (def?.components ?? []).map((c) => METRICS_BY_ID.get(c)?.name ?? '');
  const words = [...new Set(`${m.phrase} ${def?.name ?? ''} ${inputs.join(' ')}`.toLowerCase().split(/[^a-z0-9&]+/))]
    .filter((w) => w.length > 2 && !['mrr', 'arr', 'start', 'starting', 'ending', 'spend', 'the'].includes(w))
    .slice(0, 8);
  const question = `why reason ${words.join(' ')} ${parsed.text}`;
  // Period words ("q3 fy26") rank the tables' headers first: the search looks for the words of the
  // movement, the sentences are then scored with the period too.
  const res = await tools.search(searchQuery(question.replace(/\b(q[1-4]|h[12]|fy\d{2,4}|(19|20)\d{2})\b/gi, ' ')), 10);
  const found = res.ok ? bestSentences(question, res.value, 5) : [];
  // "Why …" is answered only by a sentence that gives a reason (because, due to, after …), never by
  // one that merely mentions the metric.
  const e = WHY_RE.test(parsed.text) ? found.find((x) => carries(x.sentence, 'reason')) : found[0];
  if (!e) return;
  if (WHY_RE.test(parsed.text)) {
    // "Why did customers leave?" is answered by the reason the documents give; the figures follow.
    draft.lines.unshift(`${e.sentence} — ${sourceText(e.passage)}`, '');
  } else {
    draft.lines.push('', 'From your documents:', `> ${e.sentence}`, `— ${sourceText(e.passage)}`);
  }
  draft.citations.push(citationOf(e.passage, e.sentence));
}

/** "Why …", "how come …", "what drove …": a question whose answer is a reason. */
export const WHY_RE = /^\s*(why|how come|what (drove|caused|explains?))\b/i;

/**
 * "Why did downsell go up?": the reason is what the documents say, not the figure. When the figure's
 * answer found no sentence giving a reason (its first line is still the figure), look for one as a
 * stated fact; if there is none, say so first, so the figure is not taken for the answer.
 */
export async function withReason(
  draft: Draft,
  tools: ToolClient,
  reading: QuestionReading,
  listing: Listing,
  ownNames: string[],
) {
  if (!draft.lines[0]?.startsWith('**')) return;
  const stated = reading.readings.find((r) => r.kind === 'stated') ?? reading.best;
  const found: Draft = { lines: [], citations: [], metrics: [] };
  const best = { ...stated, kind: 'stated' as const, answerType: 'reason' as const };
  if (await statedAnswer(found, tools, { ...reading, best }, listing, ownNames)) {
    draft.lines.unshift(...found.lines, '', REASON_GIVEN, '');
    draft.citations.unshift(...found.citations);
    return;
  }
  draft.lines.unshift("I couldn't find a sentence in your documents that gives the reason. What the figures show:", '');
}
