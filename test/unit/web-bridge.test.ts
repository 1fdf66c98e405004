/// <reference lib="dom" />
/**
 * The web bridge's toasts (`renderer/web-bridge.ts`): a `toast` becomes one Web Notification, and a
 * `toast.close` from the core closes it again (the call was answered elsewhere, the chat accepted),
 * also when it arrives while the permission prompt is still open. A scripted socket and a recording
 * Notification stand in for the browser's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerMessage, Toast } from '../../preload/bridge.js';
import { connectWebBridge, type NotificationApi, type NotificationLike } from '../../renderer/web-bridge.js';
import { ALERT_MEMORY_LIMIT } from '../../main/desk/alerts.js';

/** A WebSocket the test drives: it opens at once and records what the page sends. */
class ScriptedSocket extends EventTarget {
  static readonly OPEN = 1;
  static last: ScriptedSocket | undefined;
  readonly OPEN = 1;
  readyState = 0;
  readonly sent: string[] = [];
  constructor(readonly url: string) {
    super();
    ScriptedSocket.last = this;
    queueMicrotask(() => {
      this.readyState = 1;
      this.dispatchEvent(new Event('open'));
    });
  }
  send(text: string): void {
    this.sent.push(text);
  }
  close(): void {
    this.readyState = 3;
  }
  /** The core sends `message`. */
  deliver(message: ServerMessage): void {
    const event = new Event('message') as Event & { data: string };
    Object.defineProperty(event, 'data', { value: JSON.stringify(message) });
    this.dispatchEvent(event);
  }
}

/** A Notification API whose permission answer the test gives, recording every notification. */
function recordingNotifications(permission: NotificationPermission) {
  const made: Array<{ title: string; tag?: string | undefined; closed: boolean }> = [];
  let answer: (value: NotificationPermission) => void = () => undefined;
  class Recording implements NotificationLike {
    static permission = permission;
    static requestPermission(): Promise<NotificationPermission> {
      return new Promise((resolve) => {
        answer = (value) => {
          Recording.permission = value;
          resolve(value);
        };
      });
    }
    onclick = null;
    readonly record: { title: string; tag?: string | undefined; closed: boolean };
    constructor(title: string, options?: NotificationOptions) {
      this.record = { title, tag: options?.tag, closed: false };
      made.push(this.record);
    }
    close(): void {
      this.record.closed = true;
    }
  }
  return { api: Recording as unknown as NotificationApi, made, grant: () => answer('granted') };
}

const toast = (id: string): Toast => ({ id, title: `Incoming call from ${id}`, body: 'Voice', target: { kind: 'call', key: id.slice('call:'.length) } });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('web bridge toasts', () => {
  it('closes the Web Notification of a call that stopped ringing, and only that one', async () => {
    const notifications = recordingNotifications('granted');
    const bridge = connectWebBridge({ url: 'ws://127.0.0.1:1/bridge', token: 't', WebSocket: ScriptedSocket as unknown as typeof WebSocket, Notification: notifications.api });
    await settle();
    const socket = ScriptedSocket.last!;
    socket.deliver({ type: 'toast', toast: toast('call:voice/1') });
    socket.deliver({ type: 'toast', toast: toast('call:voice/2') });
    await settle();
    assert.deepEqual(notifications.made.map((n) => [n.tag, n.closed]), [['call:voice/1', false], ['call:voice/2', false]]);
    socket.deliver({ type: 'toast.close', id: 'call:voice/1' });
    assert.deepEqual(notifications.made.map((n) => [n.tag, n.closed]), [['call:voice/1', true], ['call:voice/2', false]]);
    socket.deliver({ type: 'toast.close', id: 'call:voice/unknown' });
    assert.equal(notifications.made.length, 2, 'an unknown id changes nothing');
    bridge.close();
  });

  it('never shows a toast the core closed while the agent was still answering the permission prompt', async () => {
    const notifications = recordingNotifications('default');
    const bridge = connectWebBridge({ url: 'ws://127.0.0.1:1/bridge', token: 't', WebSocket: ScriptedSocket as unknown as typeof WebSocket, Notification: notifications.api });
    await settle();
    const socket = ScriptedSocket.last!;
    socket.deliver({ type: 'toast', toast: toast('call:voice/3') });
    socket.deliver({ type: 'toast.close', id: 'call:voice/3' });
    notifications.grant();
    await settle();
    assert.equal(notifications.made.length, 0, 'the call had stopped ringing before permission came');
    socket.deliver({ type: 'toast', toast: toast('call:voice/4') });
    await settle();
    assert.deepEqual(notifications.made.map((n) => n.tag), ['call:voice/4']);
    bridge.close();
  });

  it('raises a toast the core sends again (after a reconnect) once, also after a long shift of other toasts', async () => {
    const notifications = recordingNotifications('granted');
    const bridge = connectWebBridge({ url: 'ws://127.0.0.1:1/bridge', token: 't', WebSocket: ScriptedSocket as unknown as typeof WebSocket, Notification: notifications.api });
    await settle();
    const socket = ScriptedSocket.last!;
    socket.deliver({ type: 'toast', toast: toast('call:voice/first') });
    // The rest of a long shift: as many ids as the core's alert memory holds, but the first's.
    for (let i = 0; i < ALERT_MEMORY_LIMIT - 2; i++) socket.deliver({ type: 'toast', toast: toast(`call:voice/${i}`) });
    socket.deliver({ type: 'toast', toast: toast('call:voice/first') });
    await settle();
    assert.equal(notifications.made.filter((n) => n.tag === 'call:voice/first').length, 1, 'the first call toasted once');
    assert.equal(notifications.made.length, ALERT_MEMORY_LIMIT - 1);
    bridge.close();
  });
});
