import { ArrowUp, Square } from 'lucide-react';
import { type FormEvent, useEffect, useRef } from 'react';
import { IconButton } from '../../../components/ui/Button.tsx';

/**
 * Enter sends, Shift+Enter adds a line; grows with its content up to a few lines. While an answer
 * is being worked out, Send becomes Stop (the request is aborted and the server ends the turn);
 * the text is the caller's, so a question that failed to send can be put back.
 */
export function Composer({
  busy,
  value,
  onChange,
  onSend,
  onStop,
}: {
  busy: boolean;
  value: string;
  onChange: (text: string) => void;
  onSend: (text: string) => void;
  onStop: () => void;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure the height whenever the text changes
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 180)}px`;
  }, [value]);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const text = value.trim();
    if (!text || busy) return;
    onSend(text);
  };

  return (
    <form
      onSubmit={submit}
      className="flex items-end gap-2 rounded-2xl border border-zinc-300 bg-white p-2 shadow-sm focus-within:border-accent-500 focus-within:ring-2 focus-within:ring-accent-500/20 dark:border-zinc-700 dark:bg-zinc-900"
    >
      <label htmlFor="chat-input" className="sr-only">
        Ask a question
      </label>
      <textarea
        id="chat-input"
        ref={ref}
        rows={1}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
        placeholder="Ask about your metrics, e.g. “What was our NRR last quarter?”"
        className="max-h-44 min-h-9 flex-1 resize-none bg-transparent px-2 py-1.5 text-[15px] placeholder:text-zinc-500 focus:outline-none"
      />
      {busy ? (
        <IconButton
          label="Stop"
          type="button"
          onClick={onStop}
          className="size-9 rounded-xl bg-zinc-900 text-white hover:bg-zinc-700 hover:text-white dark:bg-zinc-100 dark:text-zinc-900"
        >
          <Square className="size-3.5 fill-current" aria-hidden />
        </IconButton>
      ) : (
        <IconButton
          label="Send"
          type="submit"
          disabled={!value.trim()}
          className="size-9 rounded-xl bg-accent-600 text-white hover:bg-accent-700 hover:text-white disabled:bg-zinc-200 disabled:text-zinc-500 dark:bg-accent-600 dark:disabled:bg-zinc-800"
        >
          <ArrowUp className="size-4" aria-hidden />
        </IconButton>
      )}
    </form>
  );
}
