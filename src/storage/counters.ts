import type { PgDatabase } from './pg.ts';

/**
 * Fixed-window counters shared by every instance, for the failed-login throttle (an address's
 * failures count wherever they land). PostgreSQL rather than Redis: an operator who runs several
 * instances already runs PostgreSQL for their state, so the throttle adds no service; a failure is
 * one upsert (rare by nature: only failed authentications count). In file mode (one instance) the
 * counters stay in memory.
 */
export interface WindowCount {
  count: number;
  windowStart: number;
}

export interface SharedCounter {
  /** Adds one to `key` in `bucket` for the window of `windowMs` containing `now`; returns the new count. */
  increment(bucket: string, key: string, windowMs: number, now: number): Promise<WindowCount>;
  /** The count of the current window (0 when none or expired). */
  get(bucket: string, key: string, windowMs: number, now: number): Promise<WindowCount>;
}

export function memoryCounter(): SharedCounter {
  const map = new Map<string, WindowCount>();
  return {
    async increment(bucket, key, windowMs, now) {
      const id = `${bucket}\u0000${key}`;
      let entry = map.get(id);
      if (!entry || now - entry.windowStart >= windowMs) entry = { count: 0, windowStart: now };
      entry.count += 1;
      map.set(id, entry);
      return { ...entry };
    },
    async get(bucket, key, windowMs, now) {
      const entry = map.get(`${bucket}\u0000${key}`);
      return entry && now - entry.windowStart < windowMs ? { ...entry } : { count: 0, windowStart: now };
    },
  };
}

/** One row per (bucket, key); a new window resets the row in the same upsert, so the count is exact. */
export function pgCounter(db: PgDatabase): SharedCounter {
  let sincePrune = 0;
  return {
    async increment(bucket, key, windowMs, now) {
      const { rows } = await db.query<{ count: number; window_start: string }>(
        `INSERT INTO ${db.t('throttle_counters')} AS c (bucket, key, window_start, count) VALUES ($1, $2, $3, 1)
         ON CONFLICT (bucket, key) DO UPDATE SET
           count = CASE WHEN c.window_start + $4 <= $3 THEN 1 ELSE c.count + 1 END,
           window_start = CASE WHEN c.window_start + $4 <= $3 THEN $3 ELSE c.window_start END
         RETURNING count, window_start::text`,
        [bucket, key, now, windowMs],
      );
      if (++sincePrune >= 100) {
        sincePrune = 0;
        await db.query(`DELETE FROM ${db.t('throttle_counters')} WHERE window_start < $1`, [now - 2 * windowMs]);
      }
      const row = rows[0];
      return { count: row?.count ?? 1, windowStart: Number(row?.window_start ?? now) };
    },
    async get(bucket, key, windowMs, now) {
      const { rows } = await db.query<{ count: number; window_start: string }>(
        `SELECT count, window_start::text FROM ${db.t('throttle_counters')} WHERE bucket = $1 AND key = $2`,
        [bucket, key],
      );
      const row = rows[0];
      if (!row || Number(row.window_start) + windowMs <= now) return { count: 0, windowStart: now };
      return { count: row.count, windowStart: Number(row.window_start) };
    },
  };
}
