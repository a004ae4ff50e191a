import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { Button, IconButton } from './Button.tsx';

/** Copies text; falls back to a hidden textarea where the async clipboard is unavailable (http). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall back below
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

export function CopyButton({
  text,
  label = 'Copy',
  size = 'sm',
  iconOnly,
}: {
  text: string;
  label?: string;
  size?: 'sm' | 'md';
  /** Just the icon (the label stays the accessible name). */
  iconOnly?: boolean;
}) {
  const [copied, setCopied] = useState(false);
  if (iconOnly) {
    return (
      <IconButton
        label={copied ? `${label}: copied` : label}
        className="size-7"
        onClick={async () => {
          if (await copyText(text)) {
            setCopied(true);
            window.setTimeout(() => setCopied(false), 2000);
          }
        }}
      >
        {copied ? (
          <Check className="size-3.5 text-emerald-600" aria-hidden />
        ) : (
          <Copy className="size-3.5" aria-hidden />
        )}
      </IconButton>
    );
  }
  return (
    <Button
      variant="secondary"
      size={size}
      aria-label={copied ? `${label}: copied` : label}
      icon={
        copied ? <Check className="size-4 text-emerald-600" aria-hidden /> : <Copy className="size-4" aria-hidden />
      }
      onClick={async () => {
        if (await copyText(text)) {
          setCopied(true);
          window.setTimeout(() => setCopied(false), 2000);
        }
      }}
    >
      {copied ? 'Copied' : label}
    </Button>
  );
}
