/** Pure selectors for the Team section: which members show, in which groups, in which order. */
import type { Chat, DeskState, TeamMember, TeamRole } from '../../preload/bridge.js';
import { chatActivity, PRESENCE_LABELS } from './select.js';
import { fmt, labels, t } from './i18n.js';
import { allChats } from '../../common/selectors.js';

/** The Team section's status filter, in the order its buttons appear. */
export const TEAM_FILTERS = ['all', 'ready', 'not-ready', 'on-call', 'wrap-up', 'offline'] as const;
export type TeamFilter = (typeof TEAM_FILTERS)[number];

export const TEAM_FILTER_LABELS: Readonly<Record<TeamFilter, string>> = labels({
  all: 'team.filter.all',
  ready: 'presence.ready',
  'not-ready': 'presence.not-ready',
  'on-call': 'team.filter.on-call',
  'wrap-up': 'presence.wrap-up',
  offline: 'presence.offline',
});

export const ROLE_LABELS: Readonly<Record<TeamRole, string>> = labels({
  agent: 'team.role.agent',
  supervisor: 'team.role.supervisor',
  'team-lead': 'team.role.team-lead',
});

/** Supervisors and team leads head their group; agents (and members without a role) follow. */
const ROLE_ORDER: Readonly<Record<TeamRole | 'none', number>> = { supervisor: 0, 'team-lead': 1, agent: 2, none: 2 };

/**
 * Whether a member shows under a filter. "Not ready" includes do-not-disturb (not taking work
 * either); "On a call" is the busy lamp, whatever the presence says.
 */
export function matchesTeamFilter(member: TeamMember, filter: TeamFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'on-call':
      return member.onCall;
    case 'not-ready':
      return member.presence.state === 'not-ready' || member.presence.state === 'do-not-disturb';
    default:
      return member.presence.state === filter;
  }
}

/** How many members each filter would show. */
export function teamFilterCounts(members: readonly TeamMember[]): Record<TeamFilter, number> {
  const counts = Object.fromEntries(TEAM_FILTERS.map((f) => [f, 0])) as Record<TeamFilter, number>;
  for (const member of members) for (const filter of TEAM_FILTERS) if (matchesTeamFilter(member, filter)) counts[filter] += 1;
  return counts;
}

/** Members of one team (a platform's group), or of one account when its platform names no groups. */
export interface TeamGroup {
  /** Stable across renames of other groups: `<accountId>␀<group>`. */
  key: string;
  /** The group's name, else the account's label. */
  title: string;
  /** The account's label, when the title is a group's name. */
  account?: string;
  members: TeamMember[];
  /** How many of its members each filter shows (`ready` is the tally "n/m ready"). */
  counts: Record<TeamFilter, number>;
}

/**
 * The team, grouped by the platform's group (then by account where groups are absent); groups in
 * account order, then by name; within a group supervisors and leads first, then by name. The
 * order does not move with presence, so a row stays where the agent last saw it.
 */
export function teamGroups(state: DeskState): TeamGroup[] {
  const accountOrder = Object.keys(state.accounts);
  const groups = new Map<string, Omit<TeamGroup, 'counts'> & { accountIndex: number }>();
  for (const member of Object.values(state.team)) {
    const key = groupKeyOf(member);
    let group = groups.get(key);
    if (!group) {
      const label = state.accounts[member.accountId]?.label ?? member.accountId;
      const index = accountOrder.indexOf(member.accountId);
      group = {
        key,
        title: member.group || label,
        ...(member.group ? { account: label } : {}),
        members: [],
        accountIndex: index < 0 ? accountOrder.length : index,
      };
      groups.set(key, group);
    }
    group.members.push(member);
  }
  const byMember = (a: TeamMember, b: TeamMember): number =>
    ROLE_ORDER[a.role ?? 'none'] - ROLE_ORDER[b.role ?? 'none'] || a.name.localeCompare(b.name) || a.key.localeCompare(b.key);
  return [...groups.values()]
    .sort((a, b) => a.accountIndex - b.accountIndex || (a.account ? 1 : 0) - (b.account ? 1 : 0) || a.title.localeCompare(b.title))
    .map(({ accountIndex: _, ...group }) => {
      const members = group.members.sort(byMember);
      return { ...group, members, counts: teamFilterCounts(members) };
    });
}

/**
 * Whether the desk shows a Team at all. Walks the team's keys: `for…in` on the window's team slice
 * (a dictionary changed in place) lists every key before it yields the first, ~2.5 ms on 5 500
 * members [I: measured in Node 20]; per change, use {@link TeamPresence}.
 */
export function hasTeam(state: DeskState): boolean {
  for (const _ in state.team) return true;
  return false;
}

/**
 * {@link hasTeam} kept between changes: it looks at the members changed since it last answered
 * ({@link TeamChanges}), not at the team. A member added makes it true; only a member removed
 * while it is true makes it walk the team again (was the last one gone?). Issue 21: asked on every
 * change of the desk, `hasTeam` alone cost a supervisor's window ~2.5 ms per change.
 */
export class TeamPresence {
  #version = -1;
  #has = false;

  /** Whether `state` (the state shown at `changes.version`) has any team member. */
  has(state: DeskState, changes: TeamChanges): boolean {
    const changed = this.#version < 0 ? 'all' : changes.since(this.#version);
    this.#version = changes.version;
    if (changed === 'all') return (this.#has = hasTeam(state));
    for (const key of changed) {
      if (key in state.team) this.#has = true;
      else if (this.#has) return (this.#has = hasTeam(state));
    }
    return this.#has;
  }
}

/** The key of the group a member is in ({@link TeamGroup.key}). */
export function groupKeyOf(member: TeamMember): string {
  return `${member.accountId}\u0000${member.group ?? ''}`;
}

/** Whether a member's change can move it (another group, another place in its group). */
function moves(before: TeamMember, after: TeamMember): boolean {
  return before.name !== after.name || before.role !== after.role || before.group !== after.group || before.accountId !== after.accountId;
}

/** The accounts as far as the groups read them: their order and labels. */
function accountsSignature(state: DeskState): string {
  let out = '';
  for (const id in state.accounts) out += `${id}\u0000${state.accounts[id]!.label}\u0001`;
  return out;
}

/** The members changed since a reader last looked: their keys, or `'all'` (read the team afresh). */
export type TeamChanged = ReadonlySet<string> | 'all';

/** How many shown frames of changes {@link TeamChanges} keeps for a reader that skipped some. */
const FRAMES_KEPT = 8;

/**
 * The team's changes frame by frame, as the window shows them: the window's team slice is changed
 * in place (`common/patch.ts` {@link PatchOwner}), so a reader cannot tell a member's change by
 * the record's identity; it asks for the keys changed since the version it last read instead of
 * walking thousands of members. `note` and `noteAll` gather what arrives; `commit` closes a frame
 * when the window shows it.
 */
export class TeamChanges {
  #version = 0;
  #pending: Set<string> | 'all' = 'all';
  /** The last frames' changes, oldest first; frame `i` is version `#version - frames.length + 1 + i`. */
  #frames: Array<Set<string> | 'all'> = [];

  /** The version of the frame shown last (0 before any). */
  get version(): number {
    return this.#version;
  }

  /** Records members set or removed (by key) for the next frame. */
  note(keys: Iterable<string>): void {
    if (this.#pending === 'all') return;
    for (const key of keys) this.#pending.add(key);
  }

  /** Records that the whole team may have changed (a full state). */
  noteAll(): void {
    this.#pending = 'all';
  }

  /** Closes the frame being shown: what was noted becomes version `version + 1`. */
  commit(): void {
    this.#frames.push(this.#pending);
    if (this.#frames.length > FRAMES_KEPT) this.#frames.shift();
    this.#pending = new Set();
    this.#version += 1;
  }

  /** The members changed in the frames after `version`: an empty set when none, `'all'` when too old to say. */
  since(version: number): TeamChanged {
    const behind = this.#version - version;
    if (behind <= 0) return new Set();
    if (behind > this.#frames.length) return 'all';
    const frames = this.#frames.slice(this.#frames.length - behind);
    if (frames.some((f) => f === 'all')) return 'all';
    if (frames.length === 1) return frames[0]!;
    const out = new Set<string>();
    for (const frame of frames) for (const key of frame as Set<string>) out.add(key);
    return out;
  }
}

/**
 * {@link teamGroups} kept between changes: the same groups as it gives, but a change that moves
 * no one (a status, a busy lamp: nearly every change on a supervisor's floor) costs a look at the
 * members it names ({@link TeamChanged}) instead of grouping and sorting the team again (5 500
 * members sorted by name took several ms per change) or walking it; a group none of whose members
 * changed is the very same object as before (its list renders nothing again), and a changed group's
 * counts are updated by the members that changed, not counted again.
 */
export class TeamGrouping {
  #accounts: string | undefined;
  #groups: TeamGroup[] = [];
  /** Where each member is: its group's index and its index in the group. */
  #places = new Map<string, { group: number; index: number }>();

  /**
   * The groups of `state`'s team, given the members changed since the last call (`'all'` on the
   * first): the previous array itself when nothing it shows changed.
   */
  groups(state: DeskState, changed: TeamChanged): TeamGroup[] {
    const accounts = accountsSignature(state);
    if (changed === 'all' || accounts !== this.#accounts) return this.#rebuild(state, accounts);
    if (changed.size === 0) return this.#groups;
    const updates: Array<{ place: { group: number; index: number }; after: TeamMember }> = [];
    for (const key of changed) {
      const after = state.team[key];
      const place = this.#places.get(key);
      if (!after || !place) return this.#rebuild(state, accounts);
      const before = this.#groups[place.group]!.members[place.index]!;
      if (before === after) continue;
      if (moves(before, after)) return this.#rebuild(state, accounts);
      updates.push({ place, after });
    }
    if (updates.length === 0) return this.#groups;
    const groups = this.#groups.slice();
    const copied = new Set<number>();
    for (const { place, after } of updates) {
      let group = groups[place.group]!;
      if (!copied.has(place.group)) {
        copied.add(place.group);
        group = groups[place.group] = { ...group, members: group.members.slice(), counts: { ...group.counts } };
      }
      const before = group.members[place.index]!;
      for (const filter of TEAM_FILTERS) group.counts[filter] += Number(matchesTeamFilter(after, filter)) - Number(matchesTeamFilter(before, filter));
      group.members[place.index] = after;
    }
    return (this.#groups = groups);
  }

  #rebuild(state: DeskState, accounts: string): TeamGroup[] {
    this.#accounts = accounts;
    this.#groups = teamGroups(state);
    this.#places.clear();
    this.#groups.forEach((group, g) => group.members.forEach((member, index) => this.#places.set(member.key, { group: g, index })));
    return this.#groups;
  }
}

/**
 * The chat with a team member, if the desk has one: a chat of the member's account whose id is the
 * member's id (3C names a conversation after the colleague's user name) or whose participants
 * include the member by id or name. An open chat wins over an ended one, then the latest.
 */
export function memberChat(state: DeskState, member: TeamMember): Chat | undefined {
  const candidates = allChats(state).filter(
    (chat) =>
      chat.accountId === member.accountId &&
      (chat.id === member.id || chat.participants.some((p) => p.role !== 'agent' && (p.id === member.id || p.name === member.name))),
  );
  return candidates.sort((a, b) => Number(a.state === 'ended') - Number(b.state === 'ended') || chatActivity(b) - chatActivity(a))[0];
}

/**
 * A member's row in words, in the agent's language: "Ben Hill, Not ready: Meeting, Agent, on a call"
 * (the desk's state word, whatever the platform calls it; the name and reason as sent).
 */
export function memberDescription(member: TeamMember): string {
  const canonical = PRESENCE_LABELS[member.presence.state];
  return fmt.list(
    [
      member.name,
      member.presence.reason ? t('team.member.state-reason', { state: canonical, reason: member.presence.reason }) : canonical,
      member.role ? ROLE_LABELS[member.role] : undefined,
      member.onCall ? t('team.member.on-call') : undefined,
    ].filter((part): part is string => Boolean(part)),
    'unit',
  );
}
