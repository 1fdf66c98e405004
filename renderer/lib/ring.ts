/**
 * What the window does while something rings (issue 11, "Ringing is impossible to miss"):
 *
 * - {@link Ringer}: a two-tone ring made with the Web Audio API (no audio file, nothing the CSP
 *   forbids), about 1.5 s on and 3 s off, repeating while any call rings and stopping when none
 *   does; a single soft chime for each new chat invitation. Browsers keep audio locked until the
 *   page has had a user gesture: the ringer resumes its context on the agent's first click or key,
 *   and says it is `blocked` until then (the ringing strip offers a button).
 * - {@link TitleFlasher}: the window title alternates ("☎ Incoming call — Agent Companion" /
 *   "Agent Companion") while a call rings, and shows a steady "New chat" line for an invitation;
 *   the title the window had comes back after. The Electron window takes its title from the page,
 *   so both hosts flash.
 *
 * No Svelte here: the strip owns one of each and feeds them the ringing calls and invitations.
 * With several web-host tabs open, only the alerting tab (`alerting-tab.ts`) rings or chimes.
 */
import { isAlertingTab, onAlertingTab } from './alerting-tab.js';
import { t } from './i18n.js';

/** The ring's settings (`display.ring` in the settings document). */
export interface RingSettings {
  /** Play the ring (default true). */
  sound: boolean;
  /** Output device id (`MediaDeviceInfo.deviceId`); absent or '' for the system's default output. */
  device?: string | undefined;
}

/**
 * Where the ring sound stands, for the strip: `off` (muted in the settings, or nothing rings),
 * `playing`, `blocked` (the browser holds audio until the agent clicks), `unavailable` (no Web Audio).
 */
export type RingSound = 'off' | 'playing' | 'blocked' | 'unavailable';

/** One ring: the two tones alternate this often, s [I: an electronic telephone's warble]. */
const WARBLE_S = 0.05;
/** How long one ring sounds, s (issue 11's brief: about 1.5 s on). */
export const RING_ON_S = 1.5;
/** Silence between rings, s (about 3 s off). */
export const RING_OFF_S = 3;
/** The two tones of the ring, Hz (a major third: pleasant, and heard over office noise [I]). */
const RING_TONES = [784, 988] as const;
/** The chime's two notes, Hz, and each one's length, s. */
const CHIME_TONES = [880, 1319] as const;
const CHIME_NOTE_S = 0.32;
/** Peak gains (0–1): a ring that is heard, a chime that is quieter. */
const RING_GAIN = 0.14;
const CHIME_GAIN = 0.08;
/**
 * How long the audio context runs on after the last sound before the ringer suspends it, ms [I]:
 * longer than a chime and than a ring's silence, so a context sounding again soon is still awake.
 */
export const REST_AFTER_MS = 5_000;

type AudioContextClass = new () => AudioContext;
/** `AudioContext.setSinkId` (Chromium 110+, Electron 23+); absent from older type libraries. */
type SinkSelectable = AudioContext & { setSinkId?(sinkId: string): Promise<void> };

/** Plays the ring and the chime; see the module's comment. */
export class Ringer {
  #settings: RingSettings = { sound: true };
  #context: SinkSelectable | undefined;
  /**
   * The audio context could not be made: tried again on the agent's next gesture, not at every
   * update of the desk (making one takes ~30 ms in Chromium; tried per change while a call rang, it
   * took a tenth of the window's main thread on the supervisor's desk, issue 21).
   */
  #failed = false;
  /**
   * The ringer suspended a running context while nothing sounds (an open context keeps the
   * output device busy): audio is allowed, and the next sound resumes it.
   */
  #resting = false;
  #restTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #Audio: AudioContextClass | undefined;
  #ringing = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #chimed = new Set<string>();
  #sound: RingSound = 'off';
  #listeners = new Set<(sound: RingSound) => void>();
  #device = '';
  #deviceProblem: string | undefined;
  #unlock = (): void => void this.unlock();
  #stopFollowing: () => void = () => undefined;

  /** @param Audio the AudioContext class (tests inject one); defaults to the browser's, if any. */
  constructor(Audio?: AudioContextClass) {
    this.#Audio = Audio ?? (typeof AudioContext === 'function' ? AudioContext : undefined);
    if (typeof window !== 'undefined') {
      // The first gesture unlocks audio for the page: make (or resume) the context then.
      window.addEventListener('pointerdown', this.#unlock, true);
      window.addEventListener('keydown', this.#unlock, true);
    }
    // Another tab may be the one that alerts; when it closes, this one takes over the ring.
    this.#stopFollowing = onAlertingTab(() => this.#refresh());
  }

  /** Where the sound stands now. */
  get sound(): RingSound {
    return this.#sound;
  }

  /** Why the chosen output device could not be used (the ring then plays on the default one). */
  get deviceProblem(): string | undefined {
    return this.#deviceProblem;
  }

  /** Receives the sound's state now and on every change. Returns the unsubscribe function. */
  onSound(listener: (sound: RingSound) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#sound);
    return () => this.#listeners.delete(listener);
  }

  /** Applies the settings (muting stops a ring at once; a new device applies to the next ring). */
  configure(settings: RingSettings): void {
    this.#settings = { sound: settings.sound, device: settings.device || undefined };
    this.#refresh();
  }

  /**
   * What rings now.
   * @param ringing whether any call rings (one its platform still confirms).
   * @param invitations the desk keys of the chats that are invitations: each new one chimes once.
   */
  update(ringing: boolean, invitations: readonly string[]): void {
    this.#ringing = ringing;
    let fresh = false;
    for (const key of invitations) {
      if (this.#chimed.has(key)) continue;
      this.#chimed.add(key);
      fresh = true;
    }
    // Forget invitations that are over, so the set stays as small as the invitations waiting.
    if (this.#chimed.size > invitations.length) for (const key of this.#chimed) if (!invitations.includes(key)) this.#chimed.delete(key);
    this.#refresh();
    // A ringing call's ring says enough; the chime is for an invitation arriving on its own.
    if (fresh && !ringing && this.#settings.sound && isAlertingTab()) void this.#play((context, at) => chime(context, at));
  }

  /**
   * Makes the audio context ahead of the first ring, where the ring may sound (sound on, the
   * alerting tab), and lets it rest until something sounds. Issue 21: Chromium's first
   * `new AudioContext()` in a page blocks its main thread for 0.5–0.9 s (it asks the audio service
   * for the output device) [I: measured in headless Chromium, loaded machine]; made at the first
   * ringing call, that froze the window just as the call appeared.
   */
  prepare(): void {
    if (!this.#settings.sound || !isAlertingTab()) return;
    if (this.#ensure()) this.#refresh();
  }

  /** {@link prepare} when the window is next idle (within 2 s); returns the cancel. */
  prepareWhenIdle(): () => void {
    if (typeof requestIdleCallback !== 'function') {
      const timer = setTimeout(() => this.prepare(), 0);
      return () => clearTimeout(timer);
    }
    const id = requestIdleCallback(() => this.prepare(), { timeout: 2_000 });
    return () => cancelIdleCallback(id);
  }

  /** Makes or resumes the audio context (call it from a user gesture); resolves with the sound's state. */
  async unlock(): Promise<RingSound> {
    this.#failed = false;
    const context = this.#ensure();
    if (context && context.state !== 'running') await context.resume().catch(() => undefined);
    this.#refresh();
    return this.#sound;
  }

  /** Stops everything and lets go of the audio context. */
  dispose(): void {
    this.#ringing = false;
    this.#stopFollowing();
    this.#stopLoop();
    clearTimeout(this.#restTimer);
    if (typeof window !== 'undefined') {
      window.removeEventListener('pointerdown', this.#unlock, true);
      window.removeEventListener('keydown', this.#unlock, true);
    }
    void this.#context?.close().catch(() => undefined);
    this.#context = undefined;
    this.#listeners.clear();
  }

  #ensure(): SinkSelectable | undefined {
    if (this.#context || !this.#Audio || this.#failed) return this.#context;
    try {
      this.#context = new this.#Audio();
      this.#context.addEventListener('statechange', () => this.#refresh());
    } catch {
      this.#context = undefined;
      this.#failed = true;
    }
    return this.#context;
  }

  #refresh(): void {
    const wanted = this.#ringing && this.#settings.sound && isAlertingTab();
    if (!wanted) {
      this.#stopLoop();
      this.#restSoon();
    }
    let sound: RingSound = 'off';
    if (wanted) {
      const context = this.#ensure();
      if (this.#restTimer) {
        clearTimeout(this.#restTimer);
        this.#restTimer = undefined;
      }
      if (!context) sound = 'unavailable';
      else if (context.state === 'running' || this.#resting) sound = 'playing'; // resting: the first ring resumes it
      else {
        sound = 'blocked';
        // Allowed already (a gesture happened, or the host needs none): this starts it.
        void context.resume().catch(() => undefined);
      }
      if (sound === 'playing' && !this.#timer) this.#startLoop();
    }
    if (sound === this.#sound) return;
    this.#sound = sound;
    for (const listener of [...this.#listeners]) listener(sound);
  }

  #startLoop(): void {
    const ringOnce = (): void => void this.#play((context, at) => ring(context, at));
    // The loop is set first: the first ring may resume the context, whose state change refreshes.
    this.#timer = setInterval(ringOnce, (RING_ON_S + RING_OFF_S) * 1000);
    ringOnce();
  }

  #stopLoop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Suspends a running context once {@link REST_AFTER_MS} pass with nothing to sound. Called on
   * every update of the desk while nothing rings: a rest already planned stands (no timer churn per
   * change); `again` (a sound just played) plans it afresh.
   */
  #restSoon(again = false): void {
    if (this.#context?.state !== 'running' || (this.#restTimer && !again)) return;
    clearTimeout(this.#restTimer);
    this.#restTimer = setTimeout(() => {
      this.#restTimer = undefined;
      const context = this.#context;
      if (!context || context.state !== 'running' || this.#timer) return;
      this.#resting = true;
      void context.suspend().catch(() => (this.#resting = false));
    }, REST_AFTER_MS);
  }

  /** Plays a sound on the chosen output (the default one when it cannot be chosen). */
  async #play(sound: (context: AudioContext, at: number) => void): Promise<void> {
    const context = this.#ensure();
    if (!context) return;
    if (this.#resting) {
      this.#resting = false;
      await context.resume().catch(() => undefined);
      // Not allowed after all: say so (blocked), as for a context that never ran.
      if (context.state !== 'running') this.#refresh();
    }
    if (context.state !== 'running') return;
    await this.#route(context);
    sound(context, context.currentTime + 0.02);
    if (!this.#timer) this.#restSoon(true);
  }

  async #route(context: SinkSelectable): Promise<void> {
    const device = this.#settings.device ?? '';
    if (device === this.#device) return;
    this.#device = device;
    if (!context.setSinkId) {
      this.#deviceProblem = device ? t('ring.no-output-choice') : undefined;
      return;
    }
    try {
      await context.setSinkId(device);
      this.#deviceProblem = undefined;
    } catch (error) {
      this.#deviceProblem = t('ring.output-unavailable', { error: error instanceof Error ? error.message : String(error) });
      await context.setSinkId('').catch(() => undefined);
    }
  }
}

/** One ring: the two tones warbling for {@link RING_ON_S}, with a soft start and end. */
function ring(context: AudioContext, at: number): void {
  const gain = context.createGain();
  gain.gain.setValueAtTime(0, at);
  gain.gain.linearRampToValueAtTime(RING_GAIN, at + 0.04);
  gain.gain.setValueAtTime(RING_GAIN, at + RING_ON_S - 0.08);
  gain.gain.linearRampToValueAtTime(0, at + RING_ON_S);
  gain.connect(context.destination);
  const oscillator = context.createOscillator();
  oscillator.type = 'sine';
  for (let t = 0, i = 0; t < RING_ON_S; t += WARBLE_S, i++) oscillator.frequency.setValueAtTime(RING_TONES[i % 2]!, at + t);
  oscillator.connect(gain);
  oscillator.start(at);
  oscillator.stop(at + RING_ON_S);
  oscillator.addEventListener('ended', () => gain.disconnect());
}

/** The chat invitation's chime: two soft notes, rising. */
function chime(context: AudioContext, at: number): void {
  CHIME_TONES.forEach((frequency, i) => {
    const start = at + i * CHIME_NOTE_S * 0.6;
    const gain = context.createGain();
    gain.gain.setValueAtTime(0, start);
    gain.gain.linearRampToValueAtTime(CHIME_GAIN, start + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + CHIME_NOTE_S);
    gain.connect(context.destination);
    const oscillator = context.createOscillator();
    oscillator.type = 'sine';
    oscillator.frequency.setValueAtTime(frequency, start);
    oscillator.connect(gain);
    oscillator.start(start);
    oscillator.stop(start + CHIME_NOTE_S);
    oscillator.addEventListener('ended', () => gain.disconnect());
  });
}

/** What the title says while a call rings (alternating with the resting title). */
export const RINGING_TITLE_PREFIX = '☎ ';
/** How long each title shows while a call rings, ms. */
const TITLE_FLASH_MS = 1000;

/**
 * Flashes `document.title` while a call rings; a steady line for a chat invitation. Whatever title
 * the page had (another part of the window may change it meanwhile) comes back after.
 */
export class TitleFlasher {
  #resting: string | undefined;
  #lit = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** The title this flasher wrote last: the page's title is its own while it says this. */
  #written: string | undefined;
  #alert: string | undefined;
  #flashing = false;

  /**
   * What rings now. While a call's title already flashes, a new one (another caller rings first)
   * shows at the next flash, not at once: under load the first ringing call changes many times a
   * second, and each change wrote the title (issue 21). When nothing rings any more, a ringing
   * title on show gives way to the resting one at the next flash (within `TITLE_FLASH_MS`).
   * @param call the ringing title ("Incoming call from …"), or undefined when no call rings.
   * @param invitation the steady title for a waiting chat invitation, or undefined.
   */
  update(call: string | undefined, invitation: string | undefined): void {
    const alert = call ?? invitation;
    if (alert === undefined) {
      // A ringing title on show stays until the next flash, which puts the resting one back: under
      // a flood of calls that ring a moment each, the title flashed at once for each and went back
      // at once after (two title writes per call), now it flashes once a second (issue 21).
      if (this.#flashing && this.#timer && this.#lit) {
        this.#alert = undefined;
        return;
      }
      return this.stop();
    }
    this.#resting = this.#restingTitle();
    this.#alert = alert;
    this.#flashing = call !== undefined;
    if (!this.#flashing) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.#show(alert);
      return;
    }
    if (this.#timer) return;
    this.#lit = true;
    this.#timer = setInterval(() => this.#tick(), TITLE_FLASH_MS);
    this.#show(alert);
  }

  /** Puts the resting title back. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#resting !== undefined && this.#written !== undefined && document.title === this.#written) document.title = this.#resting;
    this.#resting = undefined;
    this.#alert = undefined;
    this.#written = undefined;
  }

  #tick(): void {
    if (this.#alert === undefined) return this.stop();
    this.#resting = this.#restingTitle();
    this.#lit = !this.#lit;
    this.#show(this.#lit && this.#alert ? this.#alert : this.#resting);
  }

  /** The page's own title: the current one unless it is the one this flasher wrote. */
  #restingTitle(): string {
    const now = document.title;
    return now === this.#written && this.#resting !== undefined ? this.#resting : now;
  }

  #show(title: string): void {
    this.#written = title === this.#resting ? undefined : title;
    if (document.title !== title) document.title = title;
  }
}
