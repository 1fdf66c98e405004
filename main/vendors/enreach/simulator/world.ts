/**
 * The simulated contact centre: one user with queues, call lists, calls, callback requests, an
 * availability and a wrap-up. Plain state; `script.ts` changes it and publishes the events,
 * `rest.ts` and `payloads.ts` read it.
 */
import { randomUUID } from 'node:crypto';

/** A queue the simulated user serves. */
export interface SimQueue {
  id: string;
  name: string;
  /** Phone numbers of the queue (calls to these come "through" it). */
  numbers: string[];
}

/** A call list (callback list) of the simulated user. */
export interface SimCallList {
  id: string;
  name: string;
}

/** A queue's live figures, in desk words (QueueStatus field in brackets). */
export interface SimQueueFigures {
  /** Calls waiting (NbrOfQueuingRequesters). */
  waiting: number;
  /** Longest current wait, s (MaxWaitTime). */
  longestWaitSec: number;
  /** Agents immediately free (NbrOfAgentsImmediatelyFree). */
  agentsFree: number;
  /** Agents serving in the queue (NbrOfAgentsCheckedInQueue). */
  agentsServing: number;
  /** Agents in wrap-up (NbrOfAgentsOnWrapUp). */
  agentsWrapUp: number;
  /** OpenStatus: 0 NA, 1–4 closed, 5–6 open. */
  openStatus: number;
}

/** A call of the simulated user. */
export interface SimCall {
  id: string;
  legId: string;
  direction: 'in' | 'out';
  caller: string;
  target: string;
  state: 'ringing' | 'dialing' | 'connected' | 'held' | 'ended';
}

/** A callback request on one of the call lists. */
export interface SimCallback {
  id: string;
  listId: string;
  contactNumber: string;
  contactName?: string;
  message?: string;
  /** ISO. */
  dueAt?: string;
  /** .NET-style local DateTime text (see {@link dotnetLocal}). */
  created: string;
  closed: boolean;
}

/** An active availability other than plain Available; start/end as .NET DateTime text. */
export interface SimAvailability {
  name: string;
  start: string;
  end: string;
  note?: string;
}

/** A running wrap-up; `start`/`end` in ms since the epoch. */
export interface SimWrapUp {
  id: string;
  callId?: string;
  start: number;
  end: number;
  timer?: NodeJS.Timeout;
}

/** The whole simulated state. */
export interface World {
  /** Login email. */
  user: string;
  userId: string;
  organizationId: string;
  /** The user's own phone number. */
  userNumber: string;
  queues: SimQueue[];
  callLists: SimCallList[];
  figures: Map<string, SimQueueFigures>;
  calls: Map<string, SimCall>;
  callbacks: Map<string, SimCallback>;
  /** Undefined: no active availability, which Enreach treats as Available (VENDOR-NOTES [C]). */
  availability?: SimAvailability;
  wrapUp?: SimWrapUp;
}

/** The open-ended end of an availability (`DateTime.MaxValue`, VENDOR-NOTES [C]). */
export const OPEN_ENDED = '9999-12-31T23:59:59.9999999';

/** .NET-style "unspecified" DateTime text (no zone): what the document's examples show. */
export function dotnetLocal(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace('Z', '');
}

/** A new world: the given user, queues and call lists, or defaults (Sales and Support; "Callbacks"). */
export function createWorld(options: { user?: string; userId?: string; queues?: SimQueue[]; callLists?: SimCallList[] }): World {
  const queues = options.queues ?? [
    { id: randomUUID(), name: 'Sales', numbers: ['+358101001000'] },
    { id: randomUUID(), name: 'Support', numbers: ['+358101002000'] },
  ];
  return {
    user: options.user ?? 'agent@example.com',
    userId: options.userId ?? randomUUID(),
    organizationId: randomUUID(),
    userNumber: '+358101234567',
    queues,
    callLists: options.callLists ?? [{ id: randomUUID(), name: 'Callbacks' }],
    figures: new Map(queues.map((q) => [q.id, { waiting: 0, longestWaitSec: 0, agentsFree: 1, agentsServing: 3, agentsWrapUp: 0, openStatus: 5 }])),
    calls: new Map(),
    callbacks: new Map(),
  };
}

/** The entity type of an id: the user, one of its queues or call lists, or none. */
export function entityTypeOf(world: World, entityId: string): 'User' | 'Queue' | 'CallList' | undefined {
  const id = entityId.toLowerCase();
  if (id === world.userId.toLowerCase()) return 'User';
  if (world.queues.some((q) => q.id.toLowerCase() === id)) return 'Queue';
  if (world.callLists.some((l) => l.id.toLowerCase() === id)) return 'CallList';
  return undefined;
}

/** Whether the user is on a call. */
export function talking(world: World): boolean {
  return [...world.calls.values()].some((c) => c.state !== 'ended');
}

/** The availability name now ("Available" when none is active). */
export function availabilityName(world: World): string {
  return world.availability?.name ?? 'Available';
}
