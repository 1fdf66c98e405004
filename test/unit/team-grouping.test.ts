import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { DeskState, TeamMember } from '../../common/model.js';
import { initialState } from '../../main/desk/store.js';
import { TeamGrouping, teamGroups } from '../../renderer/lib/team.js';

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

describe('the Team’s groups kept between changes', () => {
  it('a status change gives the same groups as grouping afresh, and keeps every group it did not touch', () => {
    const grouping = new TeamGrouping();
    let team = floor(60);
    const first = grouping.groups(desk(team));
    assert.deepEqual(first, teamGroups(desk(team)));
    const changed = Object.values(team)[7]!;
    team = { ...team, [changed.key]: { ...changed, presence: { ...changed.presence, state: 'wrap-up', label: 'wrap-up' }, onCall: true } };
    const second = grouping.groups(desk(team));
    assert.deepEqual(second, teamGroups(desk(team)));
    const touched = second.findIndex((g) => g.members.some((m) => m.key === changed.key));
    second.forEach((group, i) => {
      if (i === touched) assert.notEqual(group, first[i], 'the changed member’s group is new');
      else assert.equal(group, first[i], `group ${group.title} is the same object`);
    });
    assert.equal(grouping.groups(desk(team)), second, 'the same team gives the same array');
  });

  it('any sequence of changes, arrivals, departures and renames gives what grouping afresh gives', () => {
    const change = fc.record({
      kind: fc.constantFrom('status', 'status', 'status', 'add', 'remove', 'rename', 'regroup'),
      pick: fc.nat(),
      state: fc.constantFrom(...STATES),
      name: fc.string({ maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 40 }), (changes) => {
        const grouping = new TeamGrouping();
        let team = floor(20);
        let next = 100;
        assert.deepEqual(grouping.groups(desk(team)), teamGroups(desk(team)));
        for (const c of changes) {
          const keys = Object.keys(team);
          const key = keys[c.pick % Math.max(1, keys.length)];
          const was = key === undefined ? undefined : team[key];
          team = { ...team };
          if (c.kind === 'add' || !was) {
            const m = member('a', next++, 'Orders', c.name || 'New', c.state);
            team[m.key] = m;
          } else if (c.kind === 'remove') delete team[was.key];
          else if (c.kind === 'rename') team[was.key] = { ...was, name: c.name };
          else if (c.kind === 'regroup') team[was.key] = { ...was, group: c.name || undefined };
          else team[was.key] = { ...was, presence: { ...was.presence, state: c.state } };
          assert.deepEqual(grouping.groups(desk(team)), teamGroups(desk(team)));
        }
      }),
      { numRuns: 200 },
    );
  });
});
