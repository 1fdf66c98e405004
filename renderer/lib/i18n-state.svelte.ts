/**
 * The active translator as Svelte state (`$state.raw`): the reactive cell the entry gives the
 * language layer (`useReactiveCell` in `i18n.ts`), so `t()` and `fmt` re-render what read them
 * the moment the language changes. Apart from `i18n.ts` because runes compile only in Svelte files.
 */
import type { Translator } from '../../common/i18n.js';
import type { TranslatorCell } from './i18n.js';

/** A reactive cell holding `initial`. */
export function reactiveCell(initial: Translator): TranslatorCell {
  let current = $state.raw(initial);
  return {
    get: () => current,
    set: (next) => {
      current = next;
    },
  };
}
