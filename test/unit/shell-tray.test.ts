/**
 * The tray module's menu (`main/shell/tray.ts` `menuItem`): the pure tray model
 * (`desk/tray.ts`) becomes Electron menu items one to one, and a click anywhere in it, submenus of
 * submenus included, comes back with the item's id (what the tray turns into a presence change).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeskState } from '../../common/model.js';
import type { ConnectorEvent } from '../../main/desk/events.js';
import { initialState, reduce } from '../../main/desk/store.js';
import { trayModel } from '../../main/desk/tray.js';
import { menuItem } from '../../main/shell/tray.js';
import { FakeMenu } from '../support/electron-fake.js';

function twoAccounts(): DeskState {
  let state = initialState(
    [
      { id: 'voice', vendor: 'enreach', label: 'Voice', demo: false, presenceOptions: ['ready', 'not-ready', 'offline'] },
      { id: 'chat', vendor: 'genesys', label: 'Chat', demo: false, presenceOptions: ['ready', 'not-ready'] },
    ],
    '2026-11-20T09:00:00.000Z',
  );
  const fold = (accountId: string, ...events: ConnectorEvent[]): void => {
    for (const event of events) state = reduce(state, { ...event, accountId, at: '2026-11-20T09:00:01.000Z' });
  };
  fold('voice', { type: 'connection', state: 'connected' }, { type: 'presence', presence: { state: 'ready', label: 'Available' } });
  fold('chat', { type: 'connection', state: 'connected' }, { type: 'presence', presence: { state: 'ready', label: 'Ready' } });
  fold('chat', { type: 'presence.reasons', reasons: [{ state: 'not-ready', code: '2', label: 'Lunch' }, { state: 'not-ready', code: '3', label: 'Training' }] });
  return state;
}

describe('the tray menu (shell/tray.ts)', () => {
  it('hands back the id of a reason chosen two submenus deep, and keeps the status lines unclickable', () => {
    const clicked: string[] = [];
    const menu = new FakeMenu(trayModel(twoAccounts()).items.map((item) => menuItem(item, (id) => clicked.push(id))));
    const chat = menu.items.find((item) => item.type === 'submenu' && item.label?.startsWith('Chat: '));
    const training = chat?.submenu?.find('Training');
    assert.equal(training?.id, 'account-presence:chat:not-ready:3');
    training!.click!(training as unknown as Electron.MenuItem, undefined, { altKey: false, shiftKey: false, ctrlKey: false, metaKey: false, triggeredByAccelerator: false });
    assert.deepEqual(clicked, ['account-presence:chat:not-ready:3']);
    const statusLines = menu.items.filter((item) => item.type === 'normal' && /^(Voice|Chat): /.test(item.label ?? ''));
    assert.deepEqual(statusLines.map((item) => [item.label, item.enabled]), [['Voice: Ready · Available', false], ['Chat: Ready', false]]);
  });
});
