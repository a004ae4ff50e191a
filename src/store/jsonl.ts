import fs from 'node:fs';
import path from 'node:path';

/**
 * Append-only JSON Lines. Each write is one whole line; a torn last line (a writer killed mid-append)
 * is skipped by readers and cut off by the next append so the file stays line-aligned.
 */
export async function appendJsonl(file: string, record: unknown): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await repairTornTail(file);
  await fs.promises.appendFile(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

export async function readJsonl<T>(file: string): Promise<T[]> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: T[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // A torn line: skip it rather than fail the whole read.
    }
  }
  return out;
}

async function repairTornTail(file: string): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] === 0x0a) return;
    // Find the last newline and truncate after it, dropping the partial record.
    const chunk = Math.min(size, 1 << 20);
    const buf = Buffer.alloc(chunk);
    await handle.read(buf, 0, chunk, size - chunk);
    const idx = buf.lastIndexOf(0x0a);
    await handle.truncate(idx < 0 ? size - chunk : size - chunk + idx + 1);
  } finally {
    await handle.close();
  }
}
