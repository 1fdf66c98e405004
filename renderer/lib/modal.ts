/**
 * A `<dialog>` opened as a modal, the way every question of the desk opens (a call link's dial, an
 * app asking to pair, saving diagnostics): the focus on its safe answer (Cancel, Deny), so a fast
 * Enter never does the harmful thing; Escape gives the safe answer too; and the focus goes back
 * where it was when the dialog goes (WAI-ARIA APG, "Dialog (Modal)").
 */
import type { Attachment } from 'svelte/attachments';

/**
 * The attachment for `<dialog {@attach modal(…)}>`.
 * @param safe the element the focus starts on (read once the dialog is in the page).
 * @param oncancel what Escape does (the browser's own closing is prevented: the component decides).
 */
export function modal(safe: () => HTMLElement | null | undefined, oncancel: () => void): Attachment<HTMLDialogElement> {
  return (element) => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    element.showModal();
    safe()?.focus();
    const onEscape = (event: Event): void => {
      event.preventDefault();
      oncancel();
    };
    element.addEventListener('cancel', onEscape);
    return () => {
      element.removeEventListener('cancel', onEscape);
      if (before?.isConnected) before.focus();
    };
  };
}
