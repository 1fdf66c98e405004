/**
 * Rate limits: token buckets (each request takes a token; tokens come back at a steady rate up to
 * the bucket's size), one per app for its requests and one for its commands, and one per caller
 * without a valid token (told apart by the `Origin` it sends, since every caller is on loopback).
 * A request that finds its bucket empty is answered `429` with `Retry-After`: the seconds until a
 * token is back (RFC 9110 §10.2.3; ARCHITECTURE.md, principle 12).
 */

/** A bucket's shape: at most `burst` at once, then `perSecond` on average. */
export interface BucketShape {
  burst: number;
  perSecond: number;
}

/** Any request of a paired app: reads and the event stream's (re)connections [I: a CRM polls rarely; 60 at once covers a page load]. */
export const CLIENT_REQUESTS: BucketShape = { burst: 60, perSecond: 20 };
/** Commands that act on the phone or the presence [I: an agent does not dial ten numbers a second; a loop in a CRM would]. */
export const CLIENT_COMMANDS: BucketShape = { burst: 10, perSecond: 1 };
/** Requests without a valid token (pairing, refused ones), per origin [I]. */
export const ANONYMOUS_REQUESTS: BucketShape = { burst: 20, perSecond: 2 };
/** The most anonymous callers remembered at once; past it the fullest buckets are forgotten (they would be full anyway). */
const MAX_ANONYMOUS = 1_000;

/** One bucket. */
export class TokenBucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly shape: BucketShape,
    now: number,
  ) {
    this.tokens = shape.burst;
    this.at = now;
  }

  /**
   * Takes one token.
   * @param now ms, monotonic.
   * @returns 0 when taken, else the ms until one is back.
   */
  take(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.shape.perSecond) * 1000);
  }

  /** Whether the bucket is full (nothing to remember about its caller). */
  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.shape.burst;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.at);
    this.at = now;
    this.tokens = Math.min(this.shape.burst, this.tokens + (elapsed / 1000) * this.shape.perSecond);
  }
}

/** Buckets by key, created full on first use. */
export class BucketMap {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(
    private readonly shape: BucketShape,
    private readonly limit = MAX_ANONYMOUS,
  ) {}

  /** Takes a token from `key`'s bucket: 0, or the ms to wait. */
  take(key: string, now: number): number {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.limit) this.forgetFull(now);
      bucket = new TokenBucket(this.shape, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(now);
  }

  /** Forgets one key (a revoked app). */
  forget(key: string): void {
    this.buckets.delete(key);
  }

  private forgetFull(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.full(now)) this.buckets.delete(key);
    // Still full of busy callers: the oldest go (Map keeps insertion order).
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.limit) break;
      this.buckets.delete(key);
    }
  }
}
