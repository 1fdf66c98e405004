/**
 * Where the keyboard focus goes after an action removed the control that had it (issue 11, point 7:
 * "focus goes somewhere sensible after every action", never to `<body>`).
 */
import { tick } from 'svelte';

/** Whether the focus is nowhere in particular (on `<body>`, or on an element no longer shown). */
export function focusLost(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || !active.isConnected;
}

/**
 * After the DOM has caught up (`tick`), focuses the first element that exists among `targets`
 * (elements or CSS selectors, in order of preference).
 * @param onlyIfLost move the focus only when it was lost (the agent may already have moved on).
 * @returns whether something was focused.
 */
export async function focusFirst(targets: ReadonlyArray<string | HTMLElement | null | undefined>, onlyIfLost = false): Promise<boolean> {
  await tick();
  if (onlyIfLost && !focusLost()) return false;
  for (const target of targets) {
    const element = typeof target === 'string' ? document.querySelector<HTMLElement>(target) : target;
    if (element?.isConnected) {
      element.focus();
      if (document.activeElement === element) return true;
    }
  }
  return false;
}

/** The CSS selector of the element whose `data-key` is `key` under `testid` (keys are desk keys, quoted safely). */
export function byKey(testid: string, key: string): string {
  return `[data-testid="${testid}"][data-key="${CSS.escape(key)}"]`;
}
