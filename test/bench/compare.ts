/**
 * `npm run bench -- --compare previous.json`: each figure of this run beside the same figure of a
 * previous `bench-results.json`, and their ratio (after ÷ before), so a change that costs shows
 * at once. For people: no test or verdict rests on it (figures move by ~1.5× on a shared machine;
 * each row says the load average of both runs where they recorded one).
 */

/** One compared figure: where it is in the results, its value before and after, after ÷ before. */
export type ComparedRow = {
  figure: string;
  before: number;
  after: number;
  'after/before': number;
  load: string;
};

/** Fields that name a row of a list (a platform, a rate, a file), tried in this order. */
const ROW_NAMES = ['platform', 'rate', 'file', 'parser', 'what', 'streams', 'seconds'] as const;
/** Leaves that are settings or bookkeeping, not figures. */
const SKIPPED = new Set(['settings', 'targets', 'at', 'node', 'mode', 'platforms', 'runs', 'loadAverage', 'loadAverageAtStart', 'cores', 'met', 'target']);

/** Every numeric figure of a results object, by a path that names list rows by their name field. */
function figures(value: unknown, path: string, out: Map<string, { value: number; load?: number }>, load?: number): void {
  if (typeof value === 'number' && Number.isFinite(value)) {
    out.set(path, { value, ...(load !== undefined ? { load } : {}) });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const name = item && typeof item === 'object' ? ROW_NAMES.find((k) => k in item) : undefined;
      const label = name ? `${name}=${String((item as Record<string, unknown>)[name])}` : String(i);
      figures(item, `${path}[${label}]`, out, load);
    });
    return;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const own = typeof record.loadAverage === 'number' ? record.loadAverage : load;
    for (const [key, child] of Object.entries(record)) {
      if (SKIPPED.has(key) || ROW_NAMES.includes(key as (typeof ROW_NAMES)[number])) continue;
      figures(child, path ? `${path}.${key}` : key, out, own);
    }
  }
}

/**
 * The figures `after` and `before` share, in `after`'s order, each with its ratio (after ÷ before,
 * 2 decimals; a before of 0 gives no ratio). Figures only one run has are left out.
 */
export function compareResults(before: Record<string, unknown>, after: Record<string, unknown>): ComparedRow[] {
  const was = new Map<string, { value: number; load?: number }>();
  const now = new Map<string, { value: number; load?: number }>();
  figures(before, '', was, typeof before.loadAverageAtStart === 'number' ? before.loadAverageAtStart : undefined);
  figures(after, '', now, typeof after.loadAverageAtStart === 'number' ? after.loadAverageAtStart : undefined);
  const rows: ComparedRow[] = [];
  for (const [path, b] of now) {
    const a = was.get(path);
    if (!a) continue;
    rows.push({
      figure: path,
      before: a.value,
      after: b.value,
      'after/before': a.value === 0 ? Number.NaN : Math.round((b.value / a.value) * 100) / 100,
      load: `${a.load ?? '?'} → ${b.load ?? '?'}`,
    });
  }
  return rows;
}
