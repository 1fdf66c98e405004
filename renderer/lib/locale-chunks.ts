/**
 * The catalogs of every locale but the source, one lazy chunk each (Vite splits each JSON file it
 * finds here into its own chunk): the window downloads only the language it shows. Registered with
 * the language layer by the entry (`main.ts`); kept apart from `i18n.ts` because `import.meta.glob`
 * exists only under Vite.
 */
import type { Catalog, Locale } from '../../common/i18n.js';
import type { CatalogLoader } from './i18n.js';

const CHUNKS = import.meta.glob<Catalog>(['../../common/locales/*.json', '!../../common/locales/en.json'], { import: 'default' });

/**
 * Loads `locale`'s catalog from its chunk.
 * @throws {Error} for a locale without a catalog file, or when the chunk cannot be fetched.
 */
export const loadLocaleChunk: CatalogLoader = async (locale: Locale) => {
  const load = CHUNKS[`../../common/locales/${locale}.json`];
  if (!load) throw new Error(`no catalog for ${locale}`);
  return load();
};
