/**
 * Reading the commands a Markdown document shows, so tests can run them: the admin CLI lines of its
 * shell code blocks, split into words the way a shell would, and the example access keys in them
 * replaced by the keys the run really created.
 */

export interface DocCommand {
  /** The line as the document shows it (continuations joined). */
  line: string;
  /** `NAME=value` assignments in front of `npm run`. */
  env: Record<string, string>;
  /** The CLI's arguments: everything after `npm run [-s] admin --`. */
  args: string[];
}

/** Lines of fenced code blocks whose language is a shell (```sh, ```bash, ```shell). */
export function shellLines(markdown: string): string[] {
  const lines: string[] = [];
  const fence = /^```(\w*)\s*$/;
  let inShell: boolean | undefined;
  let pending = '';
  for (const raw of markdown.split(/\r?\n/)) {
    const open = fence.exec(raw.trim());
    if (open) {
      inShell = inShell === undefined ? ['sh', 'bash', 'shell'].includes(open[1] ?? '') : undefined;
      pending = '';
      continue;
    }
    if (!inShell) continue;
    const line = raw.trim();
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const joined = (pending + line).trim();
    pending = '';
    if (joined && !joined.startsWith('#')) lines.push(joined);
  }
  return lines;
}

/** Splits a command line into words: single and double quotes, backslash escapes, `#` comments. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === '#' && !inWord) {
      break;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated quote in: ${line}`);
  if (inWord) words.push(word);
  return words;
}

/** The admin CLI commands (`[VAR=value …] npm run [-s] admin -- …`) of a document's shell blocks, in order. */
export function adminCommands(markdown: string): DocCommand[] {
  const out: DocCommand[] = [];
  for (const line of shellLines(markdown)) {
    const words = shellWords(line);
    const env: Record<string, string> = {};
    while (words[0] && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
      const [name, ...value] = (words.shift() as string).split('=');
      env[name as string] = value.join('=');
    }
    const npm = words.slice(0, 5).join(' ');
    if (npm === 'npm run -s admin --') out.push({ line, env, args: words.slice(5) });
    else if (words.slice(0, 4).join(' ') === 'npm run admin --') out.push({ line, env, args: words.slice(4) });
  }
  return out;
}

/** Every `npm run [-s] NAME` anywhere in a document (prose, tables, code), as script names. */
export function npmRunScripts(markdown: string): string[] {
  return [...markdown.matchAll(/npm run (?:-s )?([a-z][\w:-]*)/g)].map((m) => m[1] as string);
}

const KEY_SHAPE = /^([a-z0-9_]{1,24})_[A-Z0-9]{8}$/;

/** The name part of an access key (`acme_corp` of `acme_corp_A1B2C3D4`), or undefined. */
export function keySlug(word: string): string | undefined {
  return KEY_SHAPE.exec(word)?.[1];
}

/**
 * Replaces example keys by created ones: a key-shaped word whose name part matches a created key's
 * (`acme_corp_A1B2C3D4` → `acme_corp_Q9ZK2M1X`). Other words, and keys never created here (legacy
 * keys, which are kept as they are), pass through.
 */
export function substituteKeys(args: string[], created: ReadonlyMap<string, string>): string[] {
  return args.map((word) => {
    const slug = keySlug(word);
    return slug !== undefined && created.has(slug) ? (created.get(slug) as string) : word;
  });
}

export interface DocRequest {
  line: string;
  method: string;
  /** The URL as shown (`$APP/api/…` or `http://localhost:8000/api/…`). */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The `curl` calls of a document's shell blocks, in order: method, URL, headers (`-H`), body (`-d`). */
export function curlCommands(markdown: string): DocRequest[] {
  const out: DocRequest[] = [];
  for (const line of shellLines(markdown)) {
    const words = shellWords(line);
    if (words[0] !== 'curl') continue;
    const request: DocRequest = { line, method: 'GET', url: '', headers: {} };
    for (let i = 1; i < words.length; i++) {
      const word = words[i] as string;
      if (word === '-X') request.method = words[++i] ?? '';
      else if (word === '-H') {
        const [name, ...value] = (words[++i] ?? '').split(':');
        request.headers[(name ?? '').trim().toLowerCase()] = value.join(':').trim();
      } else if (word === '-d') {
        request.body = words[++i];
        if (request.method === 'GET') request.method = 'POST';
      } else if (!word.startsWith('-')) request.url = word;
    }
    out.push(request);
  }
  return out;
}

/** The bodies of fenced blocks without a language (shown output), in order. */
export function plainBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let current: string[] | undefined;
  let inOther = false;
  for (const raw of markdown.split(/\r?\n/)) {
    const fence = /^```(\w*)\s*$/.exec(raw.trim());
    if (fence) {
      if (current) {
        blocks.push(current.join('\n'));
        current = undefined;
      } else if (inOther) inOther = false;
      else if (fence[1]) inOther = true;
      else current = [];
      continue;
    }
    current?.push(raw);
  }
  return blocks;
}

/** A tenant name's slug as DESIGN.md §4 makes it (lower case, other runs → `_`, trimmed, ≤ 24). */
export function nameSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 24)
      .replace(/_+$/, '') || 'tenant'
  );
}
