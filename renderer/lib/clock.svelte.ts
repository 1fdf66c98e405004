/** One shared clock for every live duration in the window, ticking each second. */
class Clock {
  now = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | undefined;
  #users = 0;

  /** Starts ticking while at least one user holds it; returns the release function. */
  hold(): () => void {
    this.#users += 1;
    if (this.#users === 1) {
      this.now = Date.now();
      this.#timer = setInterval(() => {
        this.now = Date.now();
      }, 1000);
    }
    return () => {
      this.#users -= 1;
      if (this.#users === 0) clearInterval(this.#timer);
    };
  }
}

export const clock = new Clock();
