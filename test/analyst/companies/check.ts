/**
 * How an answer is scored: the same rules as the HTTP evaluation script (run.mjs, ported here so the
 * project's tests never read outside the repository). The figure must be among the first eight numbers
 * of the answer; text must appear; an unanswerable question must be answered with a plain "couldn't
 * find …" in its first 400 characters. A failed answer that does not abstain is confidently wrong.
 */
export type Expect =
  | { kind: 'number' | 'percent'; value: number; rel_tol?: number; abs_tol?: number }
  | { kind: 'text'; any: string[] }
  | { kind: 'abstain' };

export interface Question {
  id: string;
  question: string;
  expect: Expect;
  session?: string;
  tags?: string[];
}

export interface QuestionSet {
  company: string;
  latest_month: string;
  questions: Question[];
}

/** Numbers as people write them: $1,234,567 · 1.23M · $412k · 112.4% · 9.1 months · 1.8x · (52,000). */
export function numbersIn(text: string): number[] {
  const out: number[] = [];
  const re =
    /(-|−|\()?\$?\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(k|K|thousand|m|M|mm|MM|million|bn|B|billion)(?![A-Za-z]))?/g;
  for (const m of text.matchAll(re)) {
    let n = Number((m[2] ?? '').replace(/,/g, ''));
    const s = (m[3] || '').toLowerCase();
    if (s === 'k' || s === 'thousand') n *= 1e3;
    else if (s === 'm' || s === 'mm' || s === 'million') n *= 1e6;
    else if (s === 'bn' || s === 'b' || s === 'billion') n *= 1e9;
    out.push(n);
  }
  return out;
}

const ABSTAIN =
  /\b(couldn't|could not|can't|cannot|unable to|don't|do not|doesn't|does not|no)\b[^.]{0,80}\b(find|answer|compute|calculate|have|hold|contain|include|information|data|mention|cover)/i;

/** The answer says plainly that the documents do not hold what was asked. */
export const abstains = (text: string) => ABSTAIN.test(String(text ?? '').slice(0, 400));

export function check(expect: Expect, answer: string): boolean {
  const text = String(answer ?? '');
  const nums = numbersIn(text).slice(0, 8);
  switch (expect.kind) {
    case 'number':
    case 'percent': {
      const v = expect.value;
      return nums.some((n) =>
        expect.abs_tol !== undefined
          ? Math.abs(Math.abs(n) - Math.abs(v)) <= expect.abs_tol
          : Math.abs(Math.abs(n) - Math.abs(v)) <= Math.abs(v) * (expect.rel_tol ?? 0) + 1e-9,
      );
    }
    case 'text':
      return expect.any.some((t) => text.toLowerCase().includes(t.toLowerCase()));
    case 'abstain':
      return abstains(text);
  }
}

export interface Scored {
  id: string;
  question: string;
  expect: Expect;
  answer: string;
  ok: boolean;
  confidentlyWrong: boolean;
}

export function score(q: Question, answer: string): Scored {
  const ok = check(q.expect, answer);
  return { id: q.id, question: q.question, expect: q.expect, answer, ok, confidentlyWrong: !ok && !abstains(answer) };
}

export function table(results: Scored[]): string {
  const show = (e: Expect) =>
    e.kind === 'text' ? `text ${e.any.join(' | ')}` : e.kind === 'abstain' ? 'abstain' : `${e.kind} ${e.value}`;
  return results
    .map(
      (r) =>
        `${r.ok ? 'PASS' : r.confidentlyWrong ? 'WRONG' : 'FAIL'}  ${r.id}  ${r.question}\n      expected ${show(r.expect)}\n      answer   ${r.answer.replace(/\s+/g, ' ').slice(0, 220)}`,
    )
    .join('\n');
}
