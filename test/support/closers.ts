/** Test setups that clean up after themselves, even when they fail halfway. */

/**
 * What a setup started, to be stopped in reverse order: each closer runs even when an earlier one
 * fails, and the first failure is thrown once all have run. A setup that throws halfway calls
 * `closeAll` before rethrowing, since the test file's `after` knows nothing of what was half-started.
 */
export class Closers {
  readonly #stack: Array<() => unknown> = [];

  /** Remembers how to stop `value`; returns `value`. */
  add<T>(value: T, close: (value: T) => unknown): T {
    this.#stack.push(() => close(value));
    return value;
  }

  /** Stops everything added so far, most recent first (a second call finds nothing left). */
  async closeAll(): Promise<void> {
    const failures: unknown[] = [];
    for (let close = this.#stack.pop(); close; close = this.#stack.pop()) {
      try {
        await close();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length) throw failures[0];
  }

  /** Runs `setup`; if it throws, stops what it had started before rethrowing its error. */
  async setUp<T>(setup: () => Promise<T>): Promise<T> {
    try {
      return await setup();
    } catch (error) {
      await this.closeAll().catch(() => undefined);
      throw error;
    }
  }
}
