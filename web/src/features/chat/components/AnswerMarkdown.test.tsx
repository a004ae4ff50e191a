import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AnswerMarkdown } from './AnswerMarkdown.tsx';

describe('AnswerMarkdown', () => {
  it('renders Markdown formatting', () => {
    const html = renderToString(<AnswerMarkdown text={'**NRR** was 112%.\n\n- one\n- two'} />);
    expect(html).toContain('<strong>NRR</strong>');
    expect(html).toContain('<li>one</li>');
  });

  it('never renders raw HTML from an answer (which may quote uploaded text)', () => {
    const payload = 'Summary <script>alert(1)</script> and <img src=x onerror="alert(2)"> <b onclick="x()">bold</b>';
    const html = renderToString(<AnswerMarkdown text={payload} />);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/onerror|onclick/i);
  });

  it('keeps safe links (opening in a new tab) and neutralises script links', () => {
    const html = renderToString(
      <AnswerMarkdown
        text={
          '[report](https://example.com/r) [bad](javascript:alert(1)) [mail](mailto:a@b.co) ![x](https://t.co/p.png)'
        }
      />,
    );
    expect(html).toContain('href="https://example.com/r"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
    expect(html).toContain('href="mailto:a@b.co"');
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toMatch(/<img/i);
  });
});

describe('AnswerMarkdown tables and citations', () => {
  it('renders a GFM trend table as a real table, not pipes', () => {
    const text = 'MRR grew.\n\n| Period | Value |\n|---|---|\n| May 2026 | $1,041,612 |\n| June 2026 | $1,095,472 |';
    const html = renderToString(<AnswerMarkdown text={text} />);
    expect(html).toContain('<table>');
    expect(html).toContain('<th>Period</th>');
    expect(html).toContain('<td>June 2026</td>');
    expect(html).not.toContain('|---|');
  });

  it('renders #source-n links as numbered citation markers', () => {
    const html = renderToString(<AnswerMarkdown text={'Churn was 1.06% [1](#source-1).'} />);
    expect(html).toContain('data-testid="citation-marker"');
    expect(html).toContain('aria-label="Source 1"');
    expect(html).not.toContain('target="_blank"');
  });
});
