/**
 * What happens in the simulated contact centre, as tests and the demo script it: calls ring and
 * end, wrap-up runs, queue figures move, callback requests come and go, the availability changes.
 * Each change updates the {@link World} and publishes the events the document describes for it
 * (sections "User", "Queue", "CallList").
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { RteMethods } from './methods.js';
import {
  callbackCreatedFields,
  callbackItem,
  callFields,
  holdFields,
  queueStatusFields,
  userAvailabilityFields,
  userStatusFields,
  wrapUpStartedFields,
  wrapUpTerminatedFields,
} from './payloads.js';
import { OPEN_ENDED, availabilityName, dotnetLocal, type SimCall, type SimCallback, type SimQueueFigures, type World } from './world.js';

/** The scripting controls of a running simulator (`EnreachSimulator` exposes them). */
export interface SimScript {
  /** An inbound call rings (UserCallInComing; with `queueId`: UserCallInUserAllocated to the queue's number). @returns its CallId. */
  ringCall(call: { caller: string; target?: string; queueId?: string }): string;
  /** The agent places an outbound call (UserCallOutGoing). @returns its CallId. */
  dialCall(call: { target: string; callAs?: string }): string;
  /** The call is connected (UserCallInUserConnected / UserCallOutConnected). @throws for an unknown call. */
  answerCall(callId: string): void;
  /** Hold start (UserCallInHoldStart / UserCallOutHoldStart). */
  holdCall(callId: string): void;
  /** Hold end (UserCallInHoldEnd / UserCallOutHoldEnd). */
  retrieveCall(callId: string): void;
  /** The call is disconnected (UserCallInDisconnected / UserCallOutDisconnected), `reason` 'remote' (default) or 'local'. */
  hangupCall(callId: string, reason?: string): void;
  /** The agent did not answer: the allocation is cancelled (UserCallInUserCancelled, Reason "NoAnswer"). */
  missCall(callId: string): void;
  /** Wrap-up begins (UserWrapUpStarted + UserStatus); ends by itself after `maxSec` (default 60). @returns WrapUpId. */
  startWrapUp(options?: { callId?: string; maxSec?: number }): string;
  /** Wrap-up ends (UserWrapUpTerminated, Reason `manual` by default). */
  endWrapUp(reason?: string): void;
  /** Changes a queue's figures and emits QueueStatus. @throws when the queue is unknown. */
  setQueueFigures(queueId: string, figures: Partial<SimQueueFigures>): void;
  /** Current figures of a queue. */
  queueFigures(queueId: string): SimQueueFigures;
  /** A callback request is created on a call list (CallbackChanged, Created; `personal` adds UserCallInCallbackCreated). @returns CallBackId. */
  createCallback(callback: { contactNumber: string; contactName?: string; message?: string; dueAt?: string; listId?: string; personal?: boolean }): string;
  /** Closes a callback request (CallbackChanged, IsClosed). */
  closeCallback(callbackId: string): void;
  /** Ids of the open callback requests. */
  openCallbacks(): string[];
  /** The availability changes elsewhere (UserAvailability + UserStatus). */
  setAvailability(availability: string, options?: { note?: string; endTime?: string }): void;
  /** The current availability (also what the connector set over REST). */
  readonly availability: string;
  /** Clears the script's timers (a running wrap-up's end). */
  stop(): void;
}

/** What every part of the script shares: the world, its timers, and how it publishes. */
interface ScriptContext {
  world: World;
  /** The script's running timers (a wrap-up's end). */
  timers: Set<NodeJS.Timeout>;
  publish: RteMethods['publish'];
  /** Publishes a User event about the agent. */
  user(eventType: string, fields: Record<string, unknown>, ttl?: number): void;
  /** Publishes the agent's UserStatus. */
  publishUserStatus(): void;
}

/** The script of `world`, publishing through `rte`. */
export function createScript(world: World, rte: Pick<RteMethods, 'publish'>): SimScript {
  const { publish } = rte;
  const user = (eventType: string, fields: Record<string, unknown>, ttl?: number) => publish(eventType, 'User', world.userId, fields, ttl);
  const ctx: ScriptContext = { world, timers: new Set(), publish, user, publishUserStatus: () => user('UserStatus', userStatusFields(world), 60) };
  return {
    ...callScript(ctx),
    ...wrapUpScript(ctx),
    ...queueScript(ctx),
    ...callbackScript(ctx),

    setAvailability(name, opts = {}) {
      world.availability =
        name === 'Available' && !opts.note
          ? undefined
          : { name, start: dotnetLocal(), end: opts.endTime ? dotnetLocal(Date.parse(opts.endTime)) : OPEN_ENDED, note: opts.note };
      user('UserAvailability', userAvailabilityFields(world, name, opts.note));
      ctx.publishUserStatus();
    },

    get availability() {
      return availabilityName(world);
    },

    stop() {
      for (const timer of ctx.timers) clearTimeout(timer);
      ctx.timers.clear();
    },
  };
}

/** Calls: ring, dial, answer, hold, retrieve, hang up, miss (the User call events). */
function callScript({ world, user, publishUserStatus }: ScriptContext): Pick<SimScript, 'ringCall' | 'dialCall' | 'answerCall' | 'holdCall' | 'retrieveCall' | 'hangupCall' | 'missCall'> {
  function callOf(callId: string): SimCall {
    const call = world.calls.get(callId);
    if (!call) throw new Error(`no such call: ${callId}`);
    return call;
  }

  function endCall(call: SimCall): void {
    call.state = 'ended';
    world.calls.delete(call.id);
    publishUserStatus();
  }

  function newCall(direction: SimCall['direction'], caller: string, target: string): SimCall {
    const call: SimCall = { id: randomUUID(), legId: randomBytes(6).toString('hex'), direction, caller, target, state: direction === 'in' ? 'ringing' : 'dialing' };
    world.calls.set(call.id, call);
    return call;
  }

  return {
    ringCall({ caller, target, queueId }) {
      const queue = queueId ? world.queues.find((q) => q.id === queueId) : undefined;
      if (queueId && !queue) throw new Error(`no such queue: ${queueId}`);
      const call = newCall('in', caller, target ?? queue?.numbers[0] ?? world.userNumber);
      if (queue) user('UserCallInUserAllocated', callFields(world, call, { UserName: world.user, UserNumber: world.userNumber, DetailedReason: '' }));
      else user('UserCallInComing', callFields(world, call, { Username: world.user }));
      publishUserStatus();
      return call.id;
    },

    dialCall({ target, callAs }) {
      const call = newCall('out', world.userNumber, target);
      user('UserCallOutGoing', callFields(world, call, { UserName: world.user, CallAsNumber: callAs ?? '' }));
      publishUserStatus();
      return call.id;
    },

    answerCall(callId) {
      const call = callOf(callId);
      call.state = 'connected';
      if (call.direction === 'in') {
        user('UserCallInUserConnected', callFields(world, call, { AgentLegId: `${call.legId}-a`, UserName: world.user, UserNumber: world.userNumber }));
      } else {
        user('UserCallOutConnected', callFields(world, call, { UserName: world.user }));
      }
    },

    holdCall(callId) {
      const call = callOf(callId);
      call.state = 'held';
      user(call.direction === 'in' ? 'UserCallInHoldStart' : 'UserCallOutHoldStart', holdFields(world, call));
    },

    retrieveCall(callId) {
      const call = callOf(callId);
      call.state = 'connected';
      user(call.direction === 'in' ? 'UserCallInHoldEnd' : 'UserCallOutHoldEnd', holdFields(world, call));
    },

    hangupCall(callId, reason = 'remote') {
      const call = callOf(callId);
      if (call.direction === 'in') {
        user('UserCallInDisconnected', callFields(world, call, { Username: world.user, Reason: reason, TechQueueId: null, TechReason: '16' }));
      } else {
        user('UserCallOutDisconnected', callFields(world, call, { UserName: world.user, Reason: reason, TechReason: '16' }));
      }
      endCall(call);
    },

    missCall(callId) {
      const call = callOf(callId);
      user('UserCallInUserCancelled', callFields(world, call, { UserName: world.user, Reason: 'NoAnswer', DetailedReason: 'Allocation timeout' }));
      endCall(call);
    },
  };
}

/** Wrap-up: started (ending by itself after its time) and ended (UserWrapUpStarted / UserWrapUpTerminated, UserStatus). */
function wrapUpScript({ world, timers, user, publishUserStatus }: ScriptContext): Pick<SimScript, 'startWrapUp' | 'endWrapUp'> {
  function endWrapUp(reason = 'manual'): void {
    const ended = world.wrapUp;
    if (!ended) return;
    if (ended.timer) {
      clearTimeout(ended.timer);
      timers.delete(ended.timer);
    }
    world.wrapUp = undefined;
    user('UserWrapUpTerminated', wrapUpTerminatedFields(world, ended, reason));
    publishUserStatus();
  }

  return {
    startWrapUp({ callId, maxSec = 60 } = {}) {
      if (world.wrapUp) endWrapUp('replaced');
      const start = Date.now();
      const id = randomUUID();
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (world.wrapUp?.id === id) endWrapUp('timer');
      }, maxSec * 1000);
      timer.unref();
      timers.add(timer);
      world.wrapUp = { id, callId, start, end: start + maxSec * 1000, timer };
      user('UserWrapUpStarted', wrapUpStartedFields(world, id, callId, maxSec));
      publishUserStatus();
      return id;
    },

    endWrapUp,
  };
}

/** Queue figures: changed (QueueStatus) and read. */
function queueScript({ world, publish }: ScriptContext): Pick<SimScript, 'setQueueFigures' | 'queueFigures'> {
  return {
    setQueueFigures(queueId, partial) {
      const queue = world.queues.find((q) => q.id === queueId);
      if (!queue) throw new Error(`no such queue: ${queueId}`);
      const next = { ...world.figures.get(queueId)! };
      for (const [k, v] of Object.entries(partial)) if (typeof v === 'number') (next as Record<string, number>)[k] = v;
      world.figures.set(queueId, next);
      publish('QueueStatus', 'Queue', queueId, queueStatusFields(world, queue), 60);
    },

    queueFigures(queueId) {
      const f = world.figures.get(queueId);
      if (!f) throw new Error(`no such queue: ${queueId}`);
      return { ...f };
    },
  };
}

/** Callback requests: created, closed (CallbackChanged; UserCallInCallbackCreated when personal), listed. */
function callbackScript({ world, publish, user }: ScriptContext): Pick<SimScript, 'createCallback' | 'closeCallback' | 'openCallbacks'> {
  return {
    createCallback({ contactNumber, contactName, message, dueAt, listId, personal }) {
      const list = listId ? world.callLists.find((l) => l.id === listId) : world.callLists[0];
      if (!list) throw new Error('no call list for the callback');
      const cb: SimCallback = { id: randomUUID(), listId: list.id, contactNumber, contactName, message, dueAt, created: dotnetLocal(), closed: false };
      world.callbacks.set(cb.id, cb);
      publish('CallbackChanged', 'CallList', list.id, callbackItem(world, cb, true), 120);
      if (personal) user('UserCallInCallbackCreated', callbackCreatedFields(world, cb));
      return cb.id;
    },

    closeCallback(callbackId) {
      const cb = world.callbacks.get(callbackId);
      if (!cb) throw new Error(`no such callback: ${callbackId}`);
      cb.closed = true;
      world.callbacks.delete(callbackId);
      publish('CallbackChanged', 'CallList', cb.listId, callbackItem(world, cb, false), 120);
    },

    openCallbacks: () => [...world.callbacks.keys()],
  };
}
