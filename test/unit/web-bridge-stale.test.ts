/**
 * The web page's bridge as the agent lives it (issue 11, point 8), against a scripted socket: a tab
 * keeps its key for reloads, a dead host stops the retrying after a bounded number of tries (with a
 * Retry), a refused key is forgotten, and only the elected tab raises notifications.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WEB_CLOSE_UNAUTHORIZED, type Toast } from '../../preload/bridge.js';
import { ALERTING_LOCK, isAlertingTab, type LocksLike } from '../../renderer/lib/alerting-tab.js';
import { connectWebBridge, TOKEN_STORAGE_KEY, type BridgeStatus, type NotificationApi } from '../../renderer/web-bridge.js';
import { eventually } from '../support/eventually.js';

/** A socket that never reaches a host: each one closes at once with `code`. */
function deadSockets(code = 1006): { Socket: typeof WebSocket; made: () => number; sent: string[] } {
  let made = 0;
  const sent: string[] = [];
  class DeadSocket extends EventTarget {
    static OPEN = 1;
    readyState = 0;
    constructor() {
      super();
      made += 1;
      queueMicrotask(() => this.dispatchEvent(Object.assign(new Event('close'), { code })));
    }
    send(text: string): void {
      sent.push(text);
    }
    close(): void {}
  }
  return { Socket: DeadSocket as unknown as typeof WebSocket, made: () => made, sent };
}

/** A socket that opens and delivers `toast` once greeted. */
function toastingSockets(toast: Toast): typeof WebSocket {
  class Live extends EventTarget {
    static OPEN = 1;
    readyState = 1;
    constructor() {
      super();
      queueMicrotask(() => {
        this.dispatchEvent(new Event('open'));
        this.dispatchEvent(Object.assign(new Event('message'), { data: JSON.stringify({ type: 'toast', toast }) }));
      });
    }
    send(): void {}
    close(): void {}
  }
  return Live as unknown as typeof WebSocket;
}

function memoryStorage(): Storage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  } as unknown as Storage & { items: Map<string, string> };
}

/** Notification recorder. */
function recorder(): { api: NotificationApi; shown: string[] } {
  const shown: string[] = [];
  class Recorded {
    static permission: NotificationPermission = 'granted';
    static requestPermission(): Promise<NotificationPermission> {
      return Promise.resolve('granted');
    }
    onclick = null;
    constructor(title: string) {
      shown.push(title);
    }
    close(): void {}
  }
  return { api: Recorded as unknown as NotificationApi, shown };
}

/** Web Locks for several tabs of one browser: first come holds, the next waits, release hands over. */
function sharedLocks(): { tab(): LocksLike & { names: string[] } } {
  const queue: Array<() => void> = [];
  let held = false;
  const next = (): void => {
    held = false;
    const waiting = queue.shift();
    if (waiting) waiting();
  };
  return {
    tab() {
      const names: string[] = [];
      return {
        names,
        request(name, options, callback) {
          names.push(name);
          return new Promise((resolve) => {
            const grant = (): void => {
              held = true;
              void callback({}).then(() => {
                next();
                resolve(undefined);
              });
            };
            options.signal?.addEventListener('abort', () => {
              const at = queue.indexOf(grant);
              if (at >= 0) queue.splice(at, 1);
            });
            if (held) queue.push(grant);
            else grant();
          });
        },
      };
    },
  };
}

const TOAST: Toast = { id: 'call:voice/c1', title: 'Incoming call from +358401112233', body: 'Voice', target: { kind: 'call', key: 'voice/c1' } };

describe('the web page’s bridge', () => {
  it('stops retrying a host that does not answer after its tries, says so, and Retry starts a fresh run', async () => {
    const sockets = deadSockets();
    const bridge = connectWebBridge({ url: 'ws://x/bridge', token: 't', WebSocket: sockets.Socket, Notification: null, storage: null, locks: null, backoffMs: [1, 2], maxAttempts: 3 });
    const seen: BridgeStatus[] = [];
    bridge.onStatus((s) => seen.push(s));
    await eventually(() => seen.at(-1)?.kind === 'stopped', 'stopped');
    assert.deepEqual(seen.at(-1), { kind: 'stopped', attempts: 3 });
    assert.equal(sockets.made(), 4, 'the first connection and three tries, then no more');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(sockets.made(), 4, 'nothing more once stopped');
    bridge.retry();
    await eventually(() => sockets.made() === 8 && seen.at(-1)?.kind === 'stopped', 'a second run of tries');
    bridge.close();
  });

  it('keeps the key from the link in this tab’s session storage for a reload, and forgets a key the host refuses', async () => {
    const storage = memoryStorage();
    const { takeTokenFromLocation } = await import('../../renderer/web-bridge.js');
    const g = globalThis as unknown as { location: unknown; history: unknown };
    const saved = { location: g.location, history: g.history };
    let replaced = '';
    g.location = { hash: '#token=abc', pathname: '/', search: '' };
    g.history = { state: null, replaceState: (_s: unknown, _t: string, url: string) => (replaced = url) };
    try {
      assert.equal(takeTokenFromLocation(storage), 'abc');
      assert.equal(replaced, '/', 'the key leaves the visible URL');
      assert.equal(storage.items.get(TOKEN_STORAGE_KEY), 'abc');
      (g.location as { hash: string }).hash = '';
      assert.equal(takeTokenFromLocation(storage), 'abc', 'a reload (no key in the URL) uses the one this tab kept');
    } finally {
      g.location = saved.location;
      g.history = saved.history;
    }
    const refused = deadSockets(WEB_CLOSE_UNAUTHORIZED);
    const bridge = connectWebBridge({ url: 'ws://x/bridge', token: 'abc', WebSocket: refused.Socket, Notification: null, storage, locks: null });
    let last: BridgeStatus | undefined;
    bridge.onStatus((s) => (last = s));
    await eventually(() => last?.kind === 'unauthorized', 'unauthorized');
    assert.equal(storage.items.has(TOKEN_STORAGE_KEY), false);
    bridge.close();
  });

  it('raises no notification while another tab holds the alerting lock, and takes over when that tab closes', async () => {
    const locks = sharedLocks();
    let closeOther: () => void = () => undefined;
    void locks.tab().request(ALERTING_LOCK, {}, () => new Promise<void>((resolve) => (closeOther = resolve)));
    const mine = recorder();
    const myLocks = locks.tab();
    const bridge = connectWebBridge({ url: 'ws://x/bridge', token: 't', WebSocket: toastingSockets(TOAST), Notification: mine.api, storage: null, locks: myLocks });
    assert.deepEqual(myLocks.names, [ALERTING_LOCK], 'it joins the election');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(isAlertingTab(), false);
    assert.deepEqual(mine.shown, [], 'the other tab alerts, not this one');
    closeOther();
    await eventually(() => isAlertingTab(), 'this tab takes over');
    bridge.close();
  });

  it('raises the notification in the tab that holds the lock', async () => {
    const mine = recorder();
    const bridge = connectWebBridge({ url: 'ws://x/bridge', token: 't', WebSocket: toastingSockets(TOAST), Notification: mine.api, storage: null, locks: sharedLocks().tab() });
    await eventually(() => mine.shown.length === 1, 'one notification');
    assert.deepEqual(mine.shown, [TOAST.title]);
    bridge.close();
  });
});
