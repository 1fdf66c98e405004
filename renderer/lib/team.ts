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
}

/**
 * The team, grouped by the platform's group (then by account where groups are absent); groups in
 * account order, then by name; within a group supervisors and leads first, then by name. The
 * order does not move with presence, so a row stays where the agent last saw it.
 */
export function teamGroups(state: DeskState): TeamGroup[] {
  const accountOrder = Object.keys(state.accounts);
  const groups = new Map<string, TeamGroup & { accountIndex: number }>();
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
    .map(({ accountIndex: _, ...group }) => ({ ...group, members: group.members.sort(byMember) }));
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

/**
 * {@link teamGroups} kept between changes: the same groups as it gives, but a change that moves
 * no one (a status, a busy lamp: nearly every change on a supervisor's floor) costs one pass
 * over the team by identity instead of grouping and sorting it again (5 500 members sorted by
 * name took several ms per change), and a group none of whose members changed is the very same
 * object as before (its list renders nothing again).
 */
export class TeamGrouping {
  #team: DeskState['team'] | undefined;
  #accounts = '';
  #groups: TeamGroup[] = [];
  /** Where each member is: its group's index and its index in the group. */
  #places = new Map<string, { group: number; index: number }>();

  /** The groups of `state`'s team (the previous array itself when the team did not change). */
  groups(state: DeskState): TeamGroup[] {
    if (state.team === this.#team) return this.#groups;
    const accounts = accountsSignature(state);
    const changed = accounts === this.#accounts ? this.#changedInPlace(state.team) : undefined;
    this.#team = state.team;
    this.#accounts = accounts;
    if (!changed) return this.#rebuild(state);
    if (changed.length === 0) return this.#groups;
    const groups = this.#groups.slice();
    const copied = new Set<number>();
    for (const member of changed) {
      const place = this.#places.get(member.key)!;
      if (!copied.has(place.group)) {
        copied.add(place.group);
        groups[place.group] = { ...groups[place.group]!, members: groups[place.group]!.members.slice() };
      }
      groups[place.group]!.members[place.index] = member;
    }
    return (this.#groups = groups);
  }

  /**
   * The members that changed without moving, or `undefined` when one came, went or moved (the
   * groups are then built afresh).
   */
  #changedInPlace(team: DeskState['team']): TeamMember[] | undefined {
    const before = this.#team;
    if (!before) return undefined;
    const changed: TeamMember[] = [];
    let count = 0;
    for (const key in team) {
      count++;
      const after = team[key]!;
      const was = before[key];
      if (was === after) continue;
      if (!was || moves(was, after) || !this.#places.has(key)) return undefined;
      changed.push(after);
    }
    return count === this.#places.size ? changed : undefined;
  }

  #rebuild(state: DeskState): TeamGroup[] {
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
