import { METRICS_BY_ID, normalizeLabel } from '../../graph/catalog.ts';
import { sourceText } from './answer.ts';
import type { Listing, ToolClient } from './calls.ts';
import type { ParsedQuestion } from './parse-question.ts';
import { metricAnswerType, type OutOfScope, type QuestionReading } from './reading.ts';
import { citationOf, type Draft, mainMetric } from './shared.ts';
import { factOf, findStated, proseDocuments, type StatedType } from './stated.ts';

/**
 * Answers for the readings that are not a computed figure: a fact stated in the documents, the
 * figure a named document states, a plain "I couldn't find", and requests outside the analyst's job.
 */

/**
 * The company's own name as its files spell it: a word most document names share ("brightwave" in
 * brightwave_board_memo.docx, brightwave_notes.md). A sentence naming the company itself does not
 * answer "who is our largest investor".
 */
export function companyWords(listing: Listing): string[] {
  const docs = listing.documents.map(
    (d) =>
      new Set(
        d.name
          .toLowerCase()
          .split(/[^a-z]+/)
          .filter((w) => w.length >= 4),
      ),
  );
  if (docs.length < 2) return [];
  const counts = new Map<string, number>();
  for (const d of docs) for (const w of d) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts]
    .filter(([w, n]) => n >= Math.max(2, docs.length * 0.6) && !GENERIC_NAME_WORDS.has(w))
    .map(([w]) => w);
}

const GENERIC_NAME_WORDS = new Set(
  'update updates board memo notes report export final draft copy letter investor investors deck plan budget monthly weekly quarterly annual metrics finance financials pack billing summary data sheet workbook xlsx docx'.split(
    ' ',
  ),
);

/** Quote the sentence that states the answer; false (nothing written) when no sentence carries it. */
export async function statedAnswer(
  draft: Draft,
  tools: ToolClient,
  reading: QuestionReading,
  _listing: Listing,
  ownNames: string[],
  type: StatedType = reading.best.answerType,
): Promise<boolean> {
  const found = await findStated(tools, reading, {
    type,
    ownNames: [...ownNames, ...companyWords(_listing)],
    max: 3,
    prose: proseDocuments(_listing.documents),
  });
  const answers = found.filter((f) => f.typed);
  const best = answers[0];
  if (!best) return false;
  // The fact first (a name, a date, a figure), then the sentence that states it, quoted and cited.
  const lead = best.fact ? `**${best.fact.replace(/[.,;:]+$/, '')}.** ` : '';
  draft.lines.push(`${lead}“${best.sentence}”`, '', `— ${sourceText(best.passage)}`);
  draft.citations.push(citationOf(best.passage, best.sentence));
  const others = answers.slice(1).filter((e) => e.score >= best.score * 0.8 && e.fact !== best.fact);
  if (others.length > 0) {
    draft.lines.push('', 'Also stated:');
    for (const e of others) {
      draft.lines.push(`- “${e.sentence}” — ${sourceText(e.passage)}`);
      draft.citations.push(citationOf(e.passage, e.sentence));
    }
  }
  return true;
}

/**
 * "How many months of runway do we have according to the investor memo?": the sentence of that
 * document that names the metric and states a figure. Written first; the caller adds the computed
 * figure after it, so both are shown and it is clear which one is which.
 */
export async function statedFigure(
  draft: Draft,
  tools: ToolClient,
  reading: QuestionReading,
  parsed: ParsedQuestion,
  _listing: Listing,
): Promise<boolean> {
  if (!reading.document) return false;
  const m = mainMetric(parsed);
  const def = METRICS_BY_ID.get(m.id);
  const words = [
    ...new Set(
      [m.phrase, m.name, def?.name ?? '', ...(def?.synonyms ?? [])]
        .flatMap((x) => normalizeLabel(x).split(' '))
        .filter((w) => w.length >= 3 && !['the', 'and', 'per', 'total', 'rate'].includes(w)),
    ),
  ];
  const found = await findStated(tools, reading, {
    type: metricAnswerType(m.id),
    mustHave: words,
    query: `${words.join(' ')} ${reading.content.join(' ')}`,
    max: 2,
  });
  const type = metricAnswerType(m.id);
  const best = found.find((f) => f.typed);
  if (!best) {
    draft.lines.push(
      `${reading.document.name} does not state **${def?.name ?? m.name}**: I couldn't find a sentence there that gives it.`,
    );
    return false;
  }
  // The figure asked for first, the one of its kind written nearest the metric's words ("about 21
  // months of runway", not the "$5.84M of cash" the same sentence opens with), then the quote.
  const figure = factOf(best.sentence, type, [], [], words);
  draft.lines.push(
    `${figure ? `**${def?.name ?? m.name}: ${figure}, according to ${best.passage.document_name}.** ` : `**According to ${best.passage.document_name}:** `}“${best.sentence}”`,
    '',
    `— ${sourceText(best.passage)}. This is the figure the document states; the figure computed from your tables follows.`,
  );
  draft.citations.push(citationOf(best.passage, best.sentence));
  return true;
}

/** No reading is supported well enough, or no document states it: say so, and where I looked. */
export function abstain(draft: Draft, reading: QuestionReading, listing: Listing) {
  const question = reading.text.trim().replace(/\s+/g, ' ');
  const looked = reading.document
    ? [reading.document.name]
    : listing.documents.filter((d) => d.status === 'ready' || !d.status).map((d) => d.name);
  const where =
    looked.length === 0
      ? 'no documents are uploaded yet'
      : `I looked in ${looked.slice(0, 6).join(', ')}${looked.length > 6 ? ` and ${looked.length - 6} more` : ''}`;
  draft.lines.push(`I couldn't find the answer to “${question}” in your documents; ${where}.`);
  draft.lines.push(
    '',
    listing.documents.length === 0
      ? 'Upload board updates, metrics exports or financial statements and ask again.'
      : 'If it is written down somewhere — a board update, a memo, a customer list — upload that document and ask again.',
  );
}

/**
 * Poems, code, general knowledge, an email to send, advice, a what-if: one sentence on what the analyst
 * does, and a question to try.
 */
export function outOfScopeAnswer(draft: Draft, listing: Listing, why: OutOfScope = 'creative') {
  const has = new Set(listing.metrics.map((m) => m.metric));
  const example =
    has.has('mrr') || has.has('starting_mrr')
      ? 'What was our net revenue retention last quarter?'
      : has.has('revenue')
        ? 'What was revenue last quarter?'
        : listing.documents.length > 0
          ? 'What do our board updates say about hiring?'
          : 'What is our current ARR?';
  const opening = {
    creative:
      "I can't help with that: I'm your operations analyst, and I answer questions about your company's metrics and documents",
    action:
      "I can't send, schedule or change anything: I'm your operations analyst, and I answer questions about your company's metrics and documents",
    advice:
      "I can't advise on what to do: I'm your operations analyst, and I answer questions about what your company's metrics and documents show",
    scenario:
      "I couldn't compute a what-if: I'm your operations analyst, and I report what your company's metrics and documents show rather than scenarios",
  }[why];
  draft.lines.push(`${opening}, with sources — for example “${example}”`);
}
