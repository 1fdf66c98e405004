import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideToasts, type AlertMemory } from '../../main/desk/alerts.js';
import { diffState } from '../../main/desk/patch.js';
import { SLICES, type SlicePatch } from '../../common/patch.js';
import { initialState, mergeTouched, reduce, type Touched } from '../../main/desk/store.js';
import type { DeskState } from '../../common/model.js';
import { createLogger } from '../../main/log.js';
import { testedPlatforms } from '../support/platform-testing.js';

const log = createLogger('silent');
const AT = '2026-12-05T09:00:00.000Z';

/**
 * The patch from `prev` to `next` with each slice's upserts and removals in key order: a window
 * applies them by key, so their order changes nothing it shows. `null`: no patch.
 */
function shown(prev: DeskState, next: DeskState, touched?: Touched): unknown {
  const patch = diffState(prev, next, touched);
  if (!patch) return null;
  const out: Record<string, unknown> = { ...patch };
  for (const slice of SLICES) {
    const sp = patch[slice] as SlicePatch<{ key?: string; id: string }> | undefined;
    if (!sp) continue;
    const keyOf = (e: { key?: string; id: string }): string => e.key ?? e.id;
    out[slice] = { upsert: [...sp.upsert].sort((a, b) => keyOf(a).localeCompare(keyOf(b))), remove: [...sp.remove].sort() };
  }
  return out;
}

/**
 * The window is told what changed from the keys the store says it touched, and toasts are decided
 * from them: every platform's own stream, folded event by event, must give the window the same
 * patches and the agent the same toasts as comparing the whole desk did.
 */
const tested = await testedPlatforms();

describe('what the store says it touched', () => {
  for (const platform of tested) {
    const bench = platform.bench;
    if (!bench) continue;
    it(`${platform.name}: the patches and toasts from the touched keys are those of the whole desk`, () => {
      const parse = bench.parser(log);
      let state: DeskState = initialState([{ id: 'a', vendor: platform.id, label: platform.name, demo: false, presenceOptions: [] }], AT);
      let sent = state;
      let gathered: Touched = {};
      let memoryAll: AlertMemory = new Set();
      let memoryTouched: AlertMemory = new Set();
      let patches = 0;
      const frames = bench.frames(3_000);
      for (let i = 0; i < frames.length; i++) {
        for (const event of parse(frames[i])) {
          const touched: Touched = {};
          const next = reduce(state, { ...event, accountId: 'a', at: AT }, touched);
          if (next === state) continue;
          assert.deepEqual(shown(state, next, touched), shown(state, next), `frame ${i}: one event's change`);
          const all = decideToasts(next, memoryAll);
          const some = decideToasts(next, memoryTouched, undefined, touched);
          assert.deepEqual(some.toasts, all.toasts, `frame ${i}: the toasts`);
          memoryAll = all.memory;
          memoryTouched = some.memory;
          mergeTouched(gathered, touched);
          state = next;
        }
        // The bridge sends what gathered over a few events (a message per frame at 60 Hz).
        if (i % 7 === 6) {
          const patch = diffState(sent, state, gathered);
          assert.deepEqual(shown(sent, state, gathered), shown(sent, state), `frame ${i}: the gathered change`);
          if (patch) patches++;
          sent = state;
          gathered = {};
        }
      }
      assert.ok(patches > 100, `the stream changed the desk (${patches} patches)`);
    });
  }
});
