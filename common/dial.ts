/**
 * The one rule for a number the desk can dial, shared by everything that checks one: the contract's
 * `dial` schema (`preload/bridge.ts`, which the main side enforces), the `tel:`/`callto:` link
 * reader (`main/desk/dial-link.ts`) and the window's dial form (`renderer/lib/dial.ts`). Each
 * strips separators its own way first; what is left must match {@link DIALABLE}.
 *
 * In `common/`: nothing outside `common/` is imported.
 */

/**
 * A dialable number: an optional leading `+`, then 2–32 of `0-9 * #` (digits, and the star and
 * hash keys service codes use), nothing else. Letters, pauses and extensions are not something
 * every platform can dial [I]. No `g` or `y` flag, so `DIALABLE.test` keeps no state between calls.
 */
export const DIALABLE = /^\+?[0-9*#]{2,32}$/;

/**
 * Touch-tone digits (DTMF) the desk sends on a call: 1–{@link DTMF_LIMIT} of `0-9 * #` and `A-D`
 * (the fourth column some IVRs use), nothing else. Source: VENDOR-NOTES.md, "Call work beyond
 * answer and hang-up" (digits `0-9 * #` and `A-D`, at most 32 per request [I]).
 */
export const DTMF = /^[0-9*#A-D]{1,32}$/;

/** The most digits one DTMF request carries (VENDOR-NOTES.md, "Call work beyond answer and hang-up" [I]). */
export const DTMF_LIMIT = 32;
