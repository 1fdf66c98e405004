/**
 * Waiting in tests: polls until a condition holds. The deadline turns "never happened" into a clear
 * failure instead of a hung test; it is not a performance claim (benchmarks measure speed).
 */

/** `T` without its falsy members: what {@link eventually} returns. */
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/**
 * Polls `probe` every 20 ms until it returns a truthy value, and returns that value.
 * @param what says what was awaited, for the failure message.
 * @param withinMs the deadline, ms (default 15 000).
 * @throws {Error} `never happened: <what>` when the deadline passes.
 */
export async function eventually<T>(probe: () => T | Promise<T>, what: string, withinMs = 15_000): Promise<Truthy<Awaited<T>>> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<Awaited<T>>;
    if (Date.now() > deadline) throw new Error(`never happened within ${withinMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
