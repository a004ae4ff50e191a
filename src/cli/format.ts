/** Text layout of the runbook's output (DESIGN.md §5): banners of `=` and `-`, fixed columns. */

export const rule = (char: '=' | '-', width: number) => char.repeat(width);

/** A title between two `=` rules, as the runbook prints them. */
export function banner(title: string, width = 50): string[] {
  return [rule('=', width), title, rule('=', width)];
}

/** Cut `text` to at most `width` characters, marking the cut with `…`. */
export function truncate(text: string, width: number): string {
  const chars = [...text.replace(/\s+/g, ' ')];
  if (chars.length <= width) return chars.join('');
  if (width <= 1) return chars.slice(0, width).join('');
  return `${chars.slice(0, width - 1).join('')}…`;
}

export function padEnd(text: string, width: number): string {
  const len = [...text].length;
  return len >= width ? text : text + ' '.repeat(width - len);
}

/** `Label:` padded so values line up (`Access Key: `, `Name:       ` …). */
export function labelled(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([label]) => label.length + 1)) + 1;
  return rows.map(([label, value]) => `${padEnd(`${label}:`, width)}${value}`);
}

export function humanBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
