/**
 * The Enreach connector keeps working when another connector has installed cometd-nodejs-client's
 * browser shims (`window`, `XMLHttpRequest`) on the global object, as the Genesys connector does
 * in the same process: it passes the `ws` WebSocket and its own HTTP client to SignalR explicitly.
 * (Own file: node:test runs each file in its own process, so the shim stays here.)
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { adapt } from 'cometd-nodejs-client';
import { eventually, startHarness, type Harness } from '../fixtures/enreach/harness.js';

let harness: Harness | undefined;
after(async () => {
  await harness?.stop();
});

describe('Enreach connector beside the CometD browser shims', () => {
  it('connects, subscribes, receives events and reconnects with a fake window and XMLHttpRequest installed', async () => {
    adapt();
    const g = globalThis as unknown as { window?: { XMLHttpRequest?: unknown }; XMLHttpRequest?: unknown };
    assert.equal(typeof g.window, 'object');
    assert.equal(typeof g.window?.XMLHttpRequest, 'function');
    const h = (harness = await startHarness());
    await eventually(() => h.account.connection === 'connected', 'connected');
    const callId = h.sim.ringCall({ caller: '+358401230000' });
    await eventually(() => h.desk.calls[`enreach-test/${callId}`], 'a call arrives');
    h.sim.dropConnections();
    await eventually(() => h.events.filter((e) => e.type === 'connection' && e.state === 'connected').length === 2, 'reconnected');
    const second = h.sim.ringCall({ caller: '+358401230001' });
    await eventually(() => h.desk.calls[`enreach-test/${second}`], 'a call after the reconnect');
  });
});
