/**
 * A `<select>` whose choice counts only when it is made on purpose.
 *
 * On a closed select, Chromium (and Windows) move the value with the arrow keys, Home/End,
 * PageUp/PageDown and type-ahead, and fire `change` at every step: acting on `change` alone sets
 * presence three times for three ArrowDowns. Here such steps only *preview* a value; the choice is
 * made by Enter, or by a pick from the open list (a click, or the list's own Enter), which arrive as
 * a `change` outside any keydown on the select. Escape, or leaving the control, puts the value back.
 * Nothing is disabled meanwhile, so the focus stays where the agent left it.
 */
import type { Attachment } from 'svelte/attachments';

export interface DeliberateOptions {
  /** The agent chose `value`. */
  onchoose(value: string): void;
  /** The value shown but not yet chosen (arrow keys), or `undefined` when there is none any more. */
  onpreview?(value: string | undefined): void;
}

/** Keys that open the list instead of stepping through it. */
function opensList(event: KeyboardEvent): boolean {
  return event.altKey || event.key === 'F4' || event.key === ' ';
}

export function deliberate(options: DeliberateOptions): Attachment<HTMLSelectElement> {
  return (select) => {
    /** Inside a keydown's default action, where a closed select fires its stepping `change`. */
    let keying = false;
    /** The value when that key went down. */
    let stepFrom = '';
    /** The value before the keys started moving it, while a preview is shown. */
    let before: string | undefined;

    function endPreview(restore: boolean): void {
      if (before === undefined) return;
      if (restore) select.value = before;
      before = undefined;
      options.onpreview?.(undefined);
    }

    function onkeydown(event: KeyboardEvent): void {
      if (event.key === 'Enter') {
        if (before === undefined) return;
        event.preventDefault();
        endPreview(false);
        options.onchoose(select.value);
        return;
      }
      if (event.key === 'Escape') {
        if (before === undefined) return;
        event.preventDefault();
        event.stopPropagation();
        endPreview(true);
        return;
      }
      if (opensList(event) || event.key === 'Tab') return;
      stepFrom = select.value;
      keying = true;
      setTimeout(() => {
        keying = false;
      });
    }

    function onchange(): void {
      if (keying) {
        // Stepped by a key: show it, do not act on it (and remember where the keys started, for Escape).
        before ??= stepFrom;
        options.onpreview?.(select.value);
        return;
      }
      endPreview(false);
      options.onchoose(select.value);
    }

    function onblur(): void {
      endPreview(true);
    }

    select.addEventListener('keydown', onkeydown);
    select.addEventListener('change', onchange);
    select.addEventListener('blur', onblur);
    return () => {
      select.removeEventListener('keydown', onkeydown);
      select.removeEventListener('change', onchange);
      select.removeEventListener('blur', onblur);
    };
  };
}
