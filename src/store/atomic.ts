import fs from 'node:fs';
import path from 'node:path';
import { CorruptFileError } from '../lib/errors.ts';

/**
 * Replace `file` atomically: write a temp file in the same folder, fsync it, rename over the target,
 * fsync the folder. A reader sees the old or the new content, never a mix; a crash leaves at most a
 * `.tmp-*` file that `cleanTempFiles` removes.
 */
export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  const dir = path.dirname(file);
  await fs.promises.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    const handle = await fs.promises.open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(tmp, file);
  } catch (err) {
    // A failed write (disk full, read-only, …) never leaves its temp file behind.
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

async function fsyncDir(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}

/** Read JSON; `undefined` when the file does not exist; a file that does not parse throws with its path. */
export async function readJson<T>(file: string, hint = ''): Promise<T | undefined> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new CorruptFileError(file, (err as Error).message, hint);
  }
}

/** Remove temp files left by writers that were killed mid-write (older than `minAgeMs`). */
export async function cleanTempFiles(dir: string, minAgeMs = 60_000): Promise<void> {
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!/\.tmp-\d+-/.test(name)) continue;
    const full = path.join(dir, name);
    try {
      const stat = await fs.promises.stat(full);
      if (now - stat.mtimeMs >= minAgeMs) await fs.promises.rm(full, { force: true });
    } catch {
      // Another process removed it first.
    }
  }
}
