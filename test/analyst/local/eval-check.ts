import { numbersIn } from './fake-context.ts';

/**
 * The evaluation's checks (the shared run script's rules, restated): a figure among the first eight
 * numbers of the answer, a text anywhere in it, an abstention in its first 400 characters — and a
 * failed answer that does not abstain is "confidently wrong".
 */
export type Expect =
  | { kind: 'number' | 'percent'; value: number; rel_tol?: number; abs_tol?: number }
  | { kind: 'text'; any: string[] }
  | { kind: 'benchmark'; value: number; abs_tol: number }
  | { kind: 'abstain' };

const ABSTAIN =
  /\b(couldn't|could not|can't|cannot|unable to|don't|do not|doesn't|does not|no)\b[^.]{0,80}\b(find|answer|compute|calculate|have|hold|contain|include|information|data|mention|cover)/i;

export const abstains = (text: string) => ABSTAIN.test(text.slice(0, 400));

export function passes(expect: Expect, answer: string): boolean {
  const nums = numbersIn(answer).slice(0, 8);
  const near = (v: number, rel = 0, abs?: number) =>
    nums.some((n) =>
      abs !== undefined
        ? Math.abs(Math.abs(n) - Math.abs(v)) <= abs
        : Math.abs(Math.abs(n) - Math.abs(v)) <= Math.abs(v) * rel + 1e-9,
    );
  switch (expect.kind) {
    case 'number':
    case 'percent':
      return near(expect.value, expect.rel_tol ?? 0, expect.abs_tol);
    case 'text':
      return expect.any.some((t) => answer.toLowerCase().includes(t.toLowerCase()));
    case 'benchmark':
      return near(expect.value, 0, expect.abs_tol);
    case 'abstain':
      return abstains(answer);
  }
}
