/** Pure selectors for the Team section: which members show, in which groups, in which order. */
import type { Chat, DeskState, TeamMember, TeamRole } from '../../preload/bridge.js';
import { PRESENCE_LABELS } from '../../common/model.js';
import { chatActivity } from './select.js';

/** The Team section's status filter, in the order its buttons appear. */
export const TEAM_FILTERS = ['all', 'ready', 'not-ready', 'on-call', 'wrap-up', 'offline'] as const;
export type TeamFilter = (typeof TEAM_FILTERS)[number];

export const TEAM_FILTER_LABELS: Readonly<Record<TeamFilter, string>> = {
  all: 'All',
  ready: 'Ready',
  'not-ready': 'Not ready',
  'on-call': 'On a call',
  'wrap-up': 'Wrap-up',
  offline: 'Offline',
};

export const ROLE_LABELS: Readonly<Record<TeamRole, string>> = {
  agent: 'Agent',
  supervisor: 'Supervisor',
  'team-lead': 'Team lead',
};

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
    const key = `${member.accountId}\u0000${member.group ?? ''}`;
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

/**
 * The chat with a team member, if the desk has one: a chat of the member's account whose id is the
 * member's id (3C names a conversation after the colleague's user name) or whose participants
 * include the member by id or name. An open chat wins over an ended one, then the latest.
 */
export function memberChat(state: DeskState, member: TeamMember): Chat | undefined {
  const candidates = Object.values(state.chats).filter(
    (chat) =>
      chat.accountId === member.accountId &&
      (chat.id === member.id || chat.participants.some((p) => p.role !== 'agent' && (p.id === member.id || p.name === member.name))),
  );
  return candidates.sort((a, b) => Number(a.state === 'ended') - Number(b.state === 'ended') || chatActivity(b) - chatActivity(a))[0];
}

/** A member's row in words: "Ben Hill, Not ready: Meeting, Agent, on a call" (the desk's state word, whatever the platform calls it). */
export function memberDescription(member: TeamMember): string {
  const canonical = PRESENCE_LABELS[member.presence.state];
  return [member.name, `${canonical}${member.presence.reason ? `: ${member.presence.reason}` : ''}`, member.role ? ROLE_LABELS[member.role] : undefined, member.onCall ? 'on a call' : undefined]
    .filter(Boolean)
    .join(', ');
}
