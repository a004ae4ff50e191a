import { describe, expect, it } from 'vitest';
import type { Passage } from '../../../src/analyst/local/calls.ts';
import { bestSentences, keyTerms, searchQuery, sentencesOf } from '../../../src/analyst/local/retrieval.ts';

const passage = (snippet: string, locator = 'page 1'): Passage => ({
  document_id: 'doc_1',
  document_name: 'Q3 board deck.pdf',
  locator,
  snippet,
  score: 1,
});

const DECK = passage(
  'Q3 was a strong quarter. Revenue grew 18% on the back of the new Analytics add-on. ' +
    'Our largest customer is now Initech Systems, after a 40-seat expansion in August. ' +
    'The next board meeting will be held on November 12, 2025 at the Austin office. ' +
    'We plan to hire 9 account executives before year end. ' +
    'Most churned accounts cited price increases as the main reason for leaving.',
);

describe('extractive retrieval', () => {
  it('splits paragraphs into sentences and drops flattened table rows', () => {
    expect(sentencesOf(DECK.snippet)).toHaveLength(6);
    expect(sentencesOf('month: 2026-04; mrr: 942678; customers: 456; burn: 273834')).toEqual([]);
    // A PDF heading run into the next sentence is split off, so its words are not the sentence's.
    expect(sentencesOf('Funding and runway In February 2026 we closed a $6 million facility.')).toEqual([
      'Funding and runway',
      'In February 2026 we closed a $6 million facility.',
    ]);
    expect(sentencesOf('Halvorsen Maritime remains our largest customer.')).toEqual([
      'Halvorsen Maritime remains our largest customer.',
    ]);
  });

  it.each([
    ['Who is our largest customer?', 'Initech Systems'],
    ['When is the next board meeting?', 'November 12, 2025'],
    ['How many account executives will we hire?', '9 account executives'],
    ['Why did customers churn?', 'price increases'],
    ['What is the top reason customers leave?', 'price increases'],
  ])('%s → the sentence with "%s"', (question, expected) => {
    const best = bestSentences(question, [DECK])[0];
    expect(best?.sentence).toContain(expected);
    expect(best?.passage.locator).toBe('page 1');
  });

  it('needs the question’s subject, not only its period', () => {
    const q3 = passage('Q3 hiring went to plan. Renewals for Q3 are tracked in the CRM.');
    expect(bestSentences('What is the status of the SOC 2 audit in Q3?', [q3])).toEqual([]);
    const memo = passage('Two enterprise renewals (Fabrikam and Tailspin Toys) come up in September.');
    expect(bestSentences('What happened with Fabrikam?', [memo])[0]?.sentence).toContain('Fabrikam');
  });

  it('finds nothing when no sentence shares a key term', () => {
    expect(bestSentences('What is our NPS?', [DECK])).toEqual([]);
    expect(bestSentences('', [DECK])).toEqual([]);
  });

  it('keeps the key terms and expands related words for search', () => {
    expect(keyTerms('Who is our largest customer?')).toEqual(['largest', 'customer']);
    expect(searchQuery('Who is our largest customer?')).toContain('biggest');
  });
});
