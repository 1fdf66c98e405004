/**
 * Motion for what has stayed a while, not for what comes and goes (issue 21). A ringing call's
 * strip row and card are in the page at once, in the ringing colours, and the ring sounds at once;
 * the icon's wiggle and the pill's pulse start only once the call has rung for `SETTLE_MS`. Most
 * calls of a busy floor's flood ring for a moment and go: each running CSS animation made a
 * composited layer and an animation to start and drop (Chromium's Layerize and style work: 5 % of
 * the agent's window at 1 000 events/s), for a motion nobody saw. An `animation-delay` does not
 * help: the animation and its layer exist from the start. Reduced motion stops them all the same
 * (`app.css`).
 */
import type { Attachment } from 'svelte/attachments';

/** How long a ringing call rings before its row and card move, ms [I]: under the ring's first burst, well before an agent's glance. */
export const SETTLE_MS = 600;

/**
 * The attachment for `<li {@attach settled}>`: the element gets `data-settled` once it has been in
 * the page `SETTLE_MS`, and loses it when the attachment goes (the row leaves, or the expression
 * that attached it turns false: `{@attach ringing ? settled : undefined}`). Style the motion on
 * `[data-settled]`.
 */
export const settled: Attachment<HTMLElement> = (element) => {
  const timer = setTimeout(() => element.setAttribute('data-settled', ''), SETTLE_MS);
  return () => {
    clearTimeout(timer);
    element.removeAttribute('data-settled');
  };
};
