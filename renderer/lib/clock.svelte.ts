/**
 * One shared clock for every live duration in the window, ticking each second — unless frozen: a
 * desk that lost its connection stops its timers rather than pretend they still run.
 */
class Clock {
  now = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | undefined;
  #users = 0;
  #freezes = 0;

  /** Stops the clock where it is until the returned function is called (then it jumps to now). */
  freeze(): () => void {
    this.#freezes += 1;
    let thawed = false;
    return () => {
      if (thawed) return;
      thawed = true;
      this.#freezes -= 1;
      if (this.#freezes === 0) this.now = Date.now();
    };
  }

  /** Starts ticking while at least one user holds it; returns the release function. */
  hold(): () => void {
    this.#users += 1;
    if (this.#users === 1) {
      if (this.#freezes === 0) this.now = Date.now();
      this.#timer = setInterval(() => {
        if (this.#freezes === 0) this.now = Date.now();
      }, 1000);
    }
    return () => {
      this.#users -= 1;
      if (this.#users === 0) clearInterval(this.#timer);
    };
  }
}

export const clock = new Clock();
