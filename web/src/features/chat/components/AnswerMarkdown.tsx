import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { safeUrl } from '../../../lib/safe-url.ts';

const CITE = /^#source-(\d+)$/;

/**
 * Answers are Markdown from the analyst, which may quote uploaded text: GitHub-flavoured (tables,
 * strikethrough) through remark-gfm; raw HTML is never interpreted (no rehype-raw, and `skipHtml`
 * drops it), and links keep only http/https/mailto. `#source-n` links are the numbered citation
 * markers: they call `onCite(n)` (the side panel with the cited cell) instead of navigating.
 */
export function AnswerMarkdown({ text, onCite }: { text: string; onCite?: (n: number) => void }) {
  const components: Components = {
    a: ({ href, children }) => {
      const cite = href ? CITE.exec(href) : null;
      if (cite) {
        const n = Number(cite[1]);
        return (
          <a
            href={href}
            className="citation-marker"
            aria-label={`Source ${n}`}
            data-testid="citation-marker"
            onClick={(e) => {
              if (!onCite) return;
              e.preventDefault();
              onCite(n);
            }}
          >
            {n}
          </a>
        );
      }
      return href ? (
        <a href={href} target="_blank" rel="noopener noreferrer nofollow">
          {children}
        </a>
      ) : (
        <span>{children}</span>
      );
    },
    img: ({ alt }) => <span>{alt ?? ''}</span>,
    table: ({ children }) => (
      // A wide table scrolls sideways: focusable so a keyboard can scroll it (axe scrollable-region-focusable).
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
      <section className="answer-table" aria-label="Table" tabIndex={0}>
        <table>{children}</table>
      </section>
    ),
  };
  return (
    <div className="prose-answer">
      <Markdown
        skipHtml
        remarkPlugins={[remarkGfm]}
        urlTransform={(url) => (CITE.test(url) ? url : safeUrl(url))}
        components={components}
      >
        {text}
      </Markdown>
    </div>
  );
}
