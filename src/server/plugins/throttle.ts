import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import type { SharedCounter } from '../../storage/counters.ts';

export interface ThrottleOptions {
  /** Failures allowed per address per window before it is refused. */
  perAddress?: number;
  windowMs?: number;
  /** Failures across all addresses per window above which a warning is logged (once per window). */
  globalBudget?: number;
  /** Most addresses tracked at once (memory bound under a spray of addresses). */
  maxAddresses?: number;
  now?: () => number;
  /**
   * Counters shared by every instance (PostgreSQL with DATABASE_URL): each failure is added there too
   * and the address's entry takes the shared total, so failures spread over N instances still block.
   */
  shared?: SharedCounter;
}

interface Entry {
  count: number;
  windowStart: number;
}

/**
 * Which attempts count together. Tenant keys (login and bearer) and the admin secret have separate
 * buckets: a partner's office (or a guesser) that used up its tenant attempts from an address does
 * not lock the operator out of the admin view from the same address (a shared NAT, the operator
 * testing a partner's key), and admin guesses do not block partners. The cost: one address may make
 * `perAddress` failures of each kind per window instead of that many in all — against a random
 * 40-bit key suffix and an admin secret of 16+ characters, still no useful guessing rate.
 */
export type ThrottleBucket = 'tenant' | 'admin';

/**
 * Failed-authentication throttle, per client address and bucket: after `perAddress` failures in a window that
 * address gets 429 `too_many_attempts` (with Retry-After) until the window ends — before its key is
 * even looked at, so a blocked guesser learns nothing. Only failures count, and only against the
 * address that made them, so a real tenant elsewhere is never locked out by someone else's guessing.
 */
export class AuthThrottle {
  private readonly perAddress: number;
  private readonly windowMs: number;
  private readonly globalBudget: number;
  private readonly maxAddresses: number;
  private readonly now: () => number;
  private readonly shared: SharedCounter | undefined;
  private readonly entries = new Map<string, Entry>();
  private global: Entry = { count: 0, windowStart: 0 };
  private warnedWindow = -1;

  constructor(
    private readonly log: FastifyBaseLogger,
    opts: ThrottleOptions = {},
  ) {
    this.perAddress = opts.perAddress ?? 10;
    this.windowMs = opts.windowMs ?? 60_000;
    this.globalBudget = opts.globalBudget ?? 200;
    this.maxAddresses = opts.maxAddresses ?? 10_000;
    this.now = opts.now ?? Date.now;
    this.shared = opts.shared;
  }

  /** Throws 429 when `address` has used up its failures of `bucket` for this window. */
  check(address: string, bucket: ThrottleBucket = 'tenant'): void {
    const entry = this.current(entryKey(address, bucket));
    if (entry && entry.count >= this.perAddress) {
      const retryAfter = Math.max(1, Math.ceil((entry.windowStart + this.windowMs - this.now()) / 1000));
      throw new AppError(429, 'too_many_attempts', `Too many failed attempts; try again in ${retryAfter} s.`, {
        'Retry-After': String(retryAfter),
      });
    }
  }

  /** Counts one failed authentication of `bucket` from `address`. */
  fail(address: string, bucket: ThrottleBucket = 'tenant'): void {
    const now = this.now();
    const key = entryKey(address, bucket);
    let entry = this.current(key);
    if (!entry) {
      if (this.entries.size >= this.maxAddresses) this.prune(now);
      entry = { count: 0, windowStart: now };
      this.entries.set(key, entry);
    }
    entry.count += 1;
    if (this.shared) this.share(key, bucket, address, entry, now);

    if (now - this.global.windowStart >= this.windowMs) this.global = { count: 0, windowStart: now };
    this.global.count += 1;
    if (this.global.count > this.globalBudget && this.warnedWindow !== this.global.windowStart) {
      this.warnedWindow = this.global.windowStart;
      this.log.warn(
        { failures: this.global.count, window_s: this.windowMs / 1000, addresses: this.entries.size },
        'failed-authentication budget exceeded: possible key guessing',
      );
    }
  }

  /** Adds the failure to the shared counter; the local entry then holds the total of every instance. */
  private share(key: string, bucket: ThrottleBucket, address: string, entry: Entry, now: number): void {
    // The shared counters' namespace: 'auth' (as before) for tenant keys, 'admin' for the secret.
    this.shared?.increment(bucket === 'admin' ? 'admin' : 'auth', address, this.windowMs, now).then(
      (total) => {
        if (this.entries.get(key) === entry && total.count > entry.count) entry.count = total.count;
      },
      (err: unknown) => this.log.warn({ err }, 'shared failed-login counter unavailable; counting on this instance'),
    );
  }

  private current(address: string): Entry | undefined {
    const entry = this.entries.get(address);
    if (entry && this.now() - entry.windowStart >= this.windowMs) {
      this.entries.delete(address);
      return undefined;
    }
    return entry;
  }

  private prune(now: number): void {
    for (const [address, entry] of this.entries) {
      if (now - entry.windowStart >= this.windowMs) this.entries.delete(address);
    }
    // Still full: drop the oldest (Map keeps insertion order).
    while (this.entries.size >= this.maxAddresses) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}

function entryKey(address: string, bucket: ThrottleBucket): string {
  return bucket === 'tenant' ? address : `admin ${address}`;
}
