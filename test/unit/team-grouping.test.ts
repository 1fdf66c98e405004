import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { DeskState, TeamMember } from '../../common/model.js';
import { initialState } from '../../main/desk/store.js';
import { applyPatch, type DeskPatch, type PatchOwner } from '../../common/patch.js';
import { hasTeam, TeamChanges, TeamGrouping, teamGroups, TeamPresence, type TeamGroup } from '../../renderer/lib/team.js';

const AT = '2026-12-05T09:00:00.000Z';
const STATES = ['ready', 'not-ready', 'do-not-disturb', 'wrap-up', 'offline'] as const;

function member(accountId: string, i: number, group: string, name: string, state: (typeof STATES)[number] = 'ready'): TeamMember {
  const key = `${accountId}/m${i}`;
  return { key, accountId, id: `m${i}`, name, group, presence: { state, label: state, since: AT }, onCall: false };
}

function desk(team: Record<string, TeamMember>): DeskState {
  const base = initialState(
    [
      { id: 'a', vendor: 'x', label: 'Floor A', demo: false, presenceOptions: [] },
      { id: 'b', vendor: 'y', label: 'Floor B', demo: false, presenceOptions: [] },
    ],
    AT,
  );
  return { ...base, team };
}

/** A team of `n` in three groups of two accounts. */
function floor(n: number): Record<string, TeamMember> {
  const team: Record<string, TeamMember> = {};
  for (let i = 0; i < n; i++) {
    const m = member(i % 2 ? 'a' : 'b', i, ['Billing', 'Orders', 'Returns'][i % 3]!, `Member ${String(n - i).padStart(3, '0')}`);
    team[m.key] = m;
  }
  return team;
}

/** Grouping keeps its groups across the frames of a window that changes its team in place. */
class Window {
  readonly owner: PatchOwner = {};
  readonly changes = new TeamChanges();
  readonly grouping = new TeamGrouping();
  seen = -1;
  state: DeskState;

  constructor(team: Record<string, TeamMember>) {
    this.state = desk(team);
    this.changes.noteAll();
  }

  /** Applies a patch the way the window does: the team in place, its keys noted. */
  apply(patch: DeskPatch): void {
    this.state = applyPatch(this.state, patch, this.owner);
    if (patch.team) this.changes.note([...patch.team.remove, ...patch.team.upsert.map((m) => m.key)]);
  }

  /** Shows a frame and reads the groups as the Team does. */
  groups(): TeamGroup[] {
    this.changes.commit();
    const changed = this.seen < 0 ? 'all' : this.changes.since(this.seen);
    this.seen = this.changes.version;
    return this.grouping.groups(this.state, changed);
  }
}

describe('the Team’s groups kept between changes', () => {
  it('a status change gives the same groups and counts as grouping afresh, and keeps every group it did not touch', () => {
    const team = floor(60);
    const window = new Window(team);
    const first = window.groups();
    assert.deepEqual(first, teamGroups(window.state));
    const changed = Object.values(team)[7]!;
    const after: TeamMember = { ...changed, presence: { ...changed.presence, state: 'wrap-up', label: 'wrap-up' }, onCall: true };
    window.apply({ team: { upsert: [after], remove: [] } });
    const teamBefore = window.state.team;
    const second = window.groups();
    assert.deepEqual(second, teamGroups(window.state));
    const touched = second.findIndex((g) => g.members.some((m) => m.key === changed.key));
    assert.equal(second[touched]!.counts['wrap-up'], first[touched]!.counts['wrap-up'] + 1, 'the group counts one more in wrap-up');
    assert.equal(second[touched]!.counts['on-call'], first[touched]!.counts['on-call'] + 1, 'and one more on a call');
    second.forEach((group, i) => {
      if (i === touched) assert.notEqual(group, first[i], 'the changed member’s group is new');
      else assert.equal(group, first[i], `group ${group.title} is the same object`);
    });
    assert.equal(window.groups(), second, 'a frame with no change gives the same array');
    window.apply({ team: { upsert: [{ ...after, onCall: false }], remove: [] } });
    assert.equal(window.state.team, teamBefore, 'the window’s team slice is changed in place, not copied');
  });

  it('a full state’s team is not changed in place: the first patch copies it, later ones change that copy', () => {
    const team = floor(6);
    const window = new Window(team);
    const member = Object.values(team)[0]!;
    window.apply({ team: { upsert: [{ ...member, onCall: true }], remove: [] } });
    assert.equal(team[member.key], member, 'the full state’s record is left as it came');
    const copy = window.state.team;
    window.apply({ team: { upsert: [], remove: [member.key] } });
    assert.equal(window.state.team, copy);
    assert.equal(copy[member.key], undefined);
  });

  it('a reader that skipped frames, or more frames than are kept, still gets what grouping afresh gives', () => {
    const team = floor(30);
    const window = new Window(team);
    window.groups();
    const keys = Object.keys(team);
    for (let frame = 0; frame < 12; frame++) {
      const m = window.state.team[keys[frame]!]!;
      window.apply({ team: { upsert: [{ ...m, presence: { ...m.presence, state: 'offline' } }], remove: [] } });
      window.changes.commit();
      if (frame === 2) {
        window.seen = window.changes.version - 3;
        assert.deepEqual(window.grouping.groups(window.state, window.changes.since(window.seen)), teamGroups(window.state));
        window.seen = window.changes.version;
      }
    }
    assert.equal(window.changes.since(window.seen), 'all', 'ten frames behind: too old to say');
    assert.deepEqual(window.groups(), teamGroups(window.state));
  });

  it('any sequence of changes, arrivals, departures and renames, shown in frames, gives what grouping afresh gives', () => {
    const change = fc.record({
      kind: fc.constantFrom('status', 'status', 'status', 'busy', 'add', 'remove', 'rename', 'regroup', 'same'),
      pick: fc.nat(),
      state: fc.constantFrom(...STATES),
      name: fc.string({ maxLength: 6 }),
      show: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 40 }), (changes) => {
        const window = new Window(floor(20));
        let next = 100;
        assert.deepEqual(window.groups(), teamGroups(window.state));
        for (const c of changes) {
          const keys = Object.keys(window.state.team);
          const key = keys[c.pick % Math.max(1, keys.length)];
          const was = key === undefined ? undefined : window.state.team[key];
          let upsert: TeamMember | undefined;
          if (c.kind === 'add' || !was) upsert = member('a', next++, 'Orders', c.name || 'New', c.state);
          else if (c.kind === 'remove') window.apply({ team: { upsert: [], remove: [was.key] } });
          else if (c.kind === 'rename') upsert = { ...was, name: c.name };
          else if (c.kind === 'regroup') upsert = { ...was, group: c.name || undefined };
          else if (c.kind === 'busy') upsert = { ...was, onCall: !was.onCall };
          else if (c.kind === 'same') upsert = { ...was };
          else upsert = { ...was, presence: { ...was.presence, state: c.state } };
          if (upsert) window.apply({ team: { upsert: [upsert], remove: [] } });
          if (c.show) assert.deepEqual(window.groups(), teamGroups(window.state));
        }
        assert.deepEqual(window.groups(), teamGroups(window.state));
      }),
      { numRuns: 300 },
    );
  });
});

describe('whether the desk shows a Team, kept between changes', () => {
  it('follows members arriving and leaving, down to none and back, whichever frames it is asked in', () => {
    const step = fc.record({ add: fc.boolean(), pick: fc.nat(), ask: fc.boolean(), show: fc.boolean() });
    fc.assert(
      fc.property(fc.nat({ max: 3 }), fc.array(step, { maxLength: 40 }), (start, steps) => {
        const window = new Window(floor(start));
        const presence = new TeamPresence();
        window.changes.commit();
        assert.equal(presence.has(window.state, window.changes), start > 0);
        let next = 100;
        for (const s of steps) {
          const keys = Object.keys(window.state.team);
          if (s.add || keys.length === 0) window.apply({ team: { upsert: [member('a', next++, 'Orders', 'New')], remove: [] } });
          else window.apply({ team: { upsert: [], remove: [keys[s.pick % keys.length]!] } });
          if (s.show) window.changes.commit();
          // Asked only of a state as shown (the Team reads the desk's state after a frame's commit).
          if (s.show && s.ask) assert.equal(presence.has(window.state, window.changes), hasTeam(window.state));
        }
        window.changes.commit();
        assert.equal(presence.has(window.state, window.changes), hasTeam(window.state));
      }),
      { numRuns: 300 },
    );
  });
});
