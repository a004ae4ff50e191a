import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh data directory under the OS temp dir; removed by the returned cleanup. */
export async function tempDataDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-tenants-'));
  return { dir, cleanup: () => fs.promises.rm(dir, { recursive: true, force: true }) };
}

export function scriptedSuffixes(...suffixes: string[]) {
  return () => {
    const next = suffixes.shift();
    if (!next) throw new Error('test ran out of scripted suffixes');
    return next;
  };
}
