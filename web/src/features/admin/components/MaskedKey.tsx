import { Eye, EyeOff } from 'lucide-react';
import { useState } from 'react';
import { IconButton } from '../../../components/ui/Button.tsx';
import { CopyButton } from '../../../components/ui/CopyButton.tsx';
import { maskKey } from '../api/admin.ts';

/** An access key shown masked, with Reveal and Copy (copying never needs revealing). */
export function MaskedKey({ value, name }: { value: string; name: string }) {
  const [shown, setShown] = useState(false);
  return (
    <span className="inline-flex max-w-full min-w-0 items-center gap-1">
      <code
        className="min-w-0 truncate font-mono text-xs text-zinc-700 dark:text-zinc-300"
        data-testid="masked-key"
        title={shown ? value : undefined}
      >
        {shown ? value : maskKey(value)}
      </code>
      <IconButton
        label={shown ? `Hide key of ${name}` : `Reveal key of ${name}`}
        aria-pressed={shown}
        onClick={() => setShown((s) => !s)}
        className="size-7"
      >
        {shown ? <EyeOff className="size-3.5" aria-hidden /> : <Eye className="size-3.5" aria-hidden />}
      </IconButton>
      <CopyButton text={value} label={`Copy the access key of ${name}`} iconOnly />
    </span>
  );
}
