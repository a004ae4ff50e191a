import Markdown, { type Components } from 'react-markdown';
import { safeUrl } from '../../../lib/safe-url.ts';

/**
 * Answers are Markdown from the analyst, which may quote uploaded text: raw HTML is never
 * interpreted (no rehype-raw, and `skipHtml` drops it), and links keep only http/https/mailto.
 */
const components: Components = {
  a: ({ href, children }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  img: ({ alt }) => <span>{alt ?? ''}</span>,
};

export function AnswerMarkdown({ text }: { text: string }) {
  return (
    <div className="prose-answer">
      <Markdown skipHtml urlTransform={safeUrl} components={components}>
        {text}
      </Markdown>
    </div>
  );
}
