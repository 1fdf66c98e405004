/**
 * The simulated 3C system behind the simulated adapter link: users with their presence, terminals
 * with their calls, and IMs to the link's user. It knows nothing of WebSockets: every change is
 * handed to `publish` as one of the document's events, with the document's properties
 * (`vendor-docs/3c-event-adapter.txt`, "Events"), and the link (`./index.ts`) delivers it to the
 * sessions that monitor what it is about.
 */
import type { ThreecTerminal } from '../config.js';
import type { EventName } from '../schema.js';

/** The call states the simulator plays (VENDOR-NOTES [I]: Ringing, Dialing, Connected, Held, Disconnected). */
export type SimCallState = 'Ringing' | 'Dialing' | 'Connected' | 'Held' | 'Disconnected';

/** One call on one terminal, with the document's properties. */
export interface SimCall {
  /** "The integer identifier for the call", a string. */
  call: string;
  terminal: ThreecTerminal;
  caller: string;
  calledAddressValue: string;
  calledAddressType: string;
  callType: 'Internal' | 'External';
  isIncoming: boolean;
  callState: SimCallState;
}

/** What an event is about, so the link can deliver it to the sessions that monitor it. */
export type Audience = { user: string } | { terminal: string } | { im: true };

/** A change of the world, as the document's event. */
export interface WorldEvent {
  audience: Audience;
  event: Exclude<EventName, 'connected3C'>;
  properties: Record<string, unknown>;
}

/** A terminal's key in the world: type (lower case) and value. */
export function terminalKey(terminal: ThreecTerminal): string {
  return `${terminal.addresstype.toLowerCase()}:${terminal.addressvalue}`;
}

/** The 3C system: users, terminals, calls. */
export class World {
  private readonly presence = new Map<string, { presence: string; presenceNote: string }>();
  private readonly calls = new Map<string, SimCall>();
  private nextCall = 7001;

  constructor(
    /** The link's own user (the agent). */
    readonly me: string,
    private readonly publish: (event: WorldEvent) => void,
  ) {}

  private static key(user: string): string {
    return user.toLowerCase();
  }

  /** Adds a user (or changes nothing when known). */
  addUser(user: string, presence = 'Available', presenceNote = ''): void {
    if (!this.presence.has(World.key(user))) this.presence.set(World.key(user), { presence, presenceNote });
  }

  /** The user's presence now, or undefined for a user the world does not know. */
  presenceOf(user: string): { presence: string; presenceNote: string } | undefined {
    const found = this.presence.get(World.key(user));
    return found ? { ...found } : undefined;
  }

  /** Whether the world knows the user. */
  knows(user: string): boolean {
    return this.presence.has(World.key(user));
  }

  /** A user's presence changes (published as `presenceChanged`). */
  setPresence(user: string, presence: string, presenceNote = ''): void {
    this.presence.set(World.key(user), { presence, presenceNote });
    this.publish({ audience: { user }, event: 'presenceChanged', properties: this.presenceProperties(user) });
  }

  /** The document's `presenceChanged` properties for a user's current presence. */
  presenceProperties(user: string): Record<string, unknown> {
    const known = this.presence.get(World.key(user)) ?? { presence: 'Offline', presenceNote: '' };
    return { user, presence: known.presence, presenceNote: known.presenceNote };
  }

  /** Someone writes to the link's user (published as `imReceived`). */
  im(sendingUser: string, message: string, receivingUser = this.me): void {
    this.publish({ audience: { im: true }, event: 'imReceived', properties: { receivingUser, sendingUser, message } });
  }

  /** Starts a call on a terminal. @returns the call id. */
  startCall(call: Omit<SimCall, 'call'>): string {
    const id = String(this.nextCall++);
    const full: SimCall = { ...call, call: id };
    this.calls.set(id, full);
    this.publishCall(full);
    return id;
  }

  /**
   * A call changes state; `Disconnected` ends it.
   * @throws {Error} when the call is unknown (ended, or never started).
   */
  setCallState(id: string, callState: SimCallState): void {
    const call = this.calls.get(id);
    if (!call) throw new Error(`no call ${id}`);
    call.callState = callState;
    if (callState === 'Disconnected') this.calls.delete(id);
    this.publishCall(call);
  }

  /** The live calls on a terminal (re-reported when a session starts monitoring it). */
  callsOn(terminal: string): SimCall[] {
    return [...this.calls.values()].filter((c) => terminalKey(c.terminal) === terminal);
  }

  /** Every live call. */
  liveCalls(): SimCall[] {
    return [...this.calls.values()].map((c) => ({ ...c }));
  }

  /** The document's `monitoredTerminalEventReceived` properties of a call. */
  static callProperties(call: SimCall): Record<string, unknown> {
    return {
      address: call.terminal.addressvalue,
      addressType: call.terminal.addresstype,
      calledAddressValue: call.calledAddressValue,
      calledAddressType: call.calledAddressType,
      caller: call.caller,
      callType: call.callType,
      isIncoming: call.isIncoming,
      callState: call.callState,
      call: call.call,
    };
  }

  private publishCall(call: SimCall): void {
    this.publish({ audience: { terminal: terminalKey(call.terminal) }, event: 'monitoredTerminalEventReceived', properties: World.callProperties(call) });
  }
}
