/**
 * The Electron fake's fidelity claims, the ones the shell's tests rely on: if the fake lost one,
 * the shell's tests would pass against behaviour Electron does not have.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import type { ShellElectron } from '../../main/electron-api.js';
import { createFakeElectron, createFakeMachine, type FakeElectron, type FakeElectronOptions, type FakeWindow } from '../support/electron-fake.js';

const fakes: FakeElectron[] = [];
after(() => fakes.forEach((fake) => fake.dispose()));

function fake(options?: FakeElectronOptions): FakeElectron {
  const created = createFakeElectron(options);
  fakes.push(created);
  return created;
}

async function readyWithWindow(url = 'app://bundle/index.html'): Promise<{ f: FakeElectron; win: FakeWindow }> {
  const f = fake();
  await f.ready();
  const win = new f.electron.BrowserWindow({ show: false, webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false } });
  await win.loadURL(url);
  return { f, win: f.windows[0]! };
}

describe('electron fake', () => {
  it('satisfies ShellElectron without a cast', () => {
    const f = fake();
    const _check: ShellElectron = f.electron;
    assert.ok(_check.app);
  });

  describe('IPC structured-clones like Electron', () => {
    it('throws DataCloneError when main sends a function', async () => {
      const { win } = await readyWithWindow();
      assert.throws(() => win.webContents.send('change', { run: () => 1 }), { name: 'DataCloneError' });
      assert.deepEqual(win.webContents.sent, []);
    });

    it('delivers a plain object as an equal but different object, on a later turn', async () => {
      const { f, win } = await readyWithWindow();
      const sent = { a: 1, nested: { list: [1, 2] } };
      const arrived: unknown[][] = [];
      f.renderer(win).on('change', (...args) => arrived.push(args));
      win.webContents.send('change', sent, 'second');
      assert.deepEqual(arrived, [], 'not delivered synchronously');
      await f.settle();
      assert.deepEqual(arrived, [[sent, 'second']]);
      assert.notEqual(arrived[0]![0], sent);
      sent.nested.list.push(3);
      assert.deepEqual(f.renderer(win).received('change'), [[{ a: 1, nested: { list: [1, 2] } }, 'second']], 'cloned at send time');
    });

    it('turns a class instance into a plain object', async () => {
      const { f, win } = await readyWithWindow();
      class Point {
        constructor(readonly x: number) {}
      }
      const next = f.renderer(win).next('focus');
      win.webContents.send('focus', new Point(3));
      const [arrived] = await next;
      assert.deepEqual(arrived, { x: 3 });
      assert.equal(arrived instanceof Point, false);
    });

    it('sends renderer messages to ipcMain with sender and senderFrame, cloned', async () => {
      const { f, win } = await readyWithWindow('app://bundle/index.html');
      const seen: { sender: unknown; url: string | undefined; args: unknown[] }[] = [];
      f.electron.ipcMain.on('subscribe', (event, ...args) => seen.push({ sender: event.sender, url: event.senderFrame?.url, args }));
      const payload = { want: 'all' };
      f.renderer(win).send('subscribe', payload);
      assert.throws(() => f.renderer(win).send('subscribe', Symbol('no')), { name: 'DataCloneError' });
      f.renderer(win).frameUrl = 'https://evil.example/';
      f.renderer(win).send('subscribe');
      await f.settle();
      assert.equal(seen.length, 2);
      assert.equal(seen[0]!.sender, win.webContents);
      assert.equal(seen[0]!.url, 'app://bundle/index.html');
      assert.deepEqual(seen[0]!.args, [payload]);
      assert.notEqual(seen[0]!.args[0], payload);
      assert.equal(seen[1]!.url, 'https://evil.example/');
    });

    it('throws "Object has been destroyed" when sending to destroyed contents', async () => {
      const { win } = await readyWithWindow();
      const contents = win.webContents;
      let destroyedEvents = 0;
      contents.once('destroyed', () => destroyedEvents++);
      win.destroy();
      assert.equal(destroyedEvents, 1);
      assert.equal(contents.isDestroyed(), true);
      assert.throws(() => contents.send('change', {}), /Object has been destroyed/);
      assert.throws(() => win.webContents, /Object has been destroyed/);
    });
  });

  describe('app', () => {
    it('gives the single-instance lock to the first launch; the second gets false and the first gets second-instance after ready', async (t) => {
      const machine = createFakeMachine();
      t.after(() => machine.dispose());
      const first = fake({ machine });
      const second = fake({ machine, argv: ['/opt/app', '--show'], cwd: '/home/agent' });
      assert.equal(first.electron.app.requestSingleInstanceLock(), true);
      const received: unknown[][] = [];
      first.electron.app.on('second-instance', (_event, argv, workingDirectory) => received.push([argv, workingDirectory]));
      assert.equal(second.electron.app.requestSingleInstanceLock(), false);
      await second.settle();
      assert.deepEqual(received, [], 'not before the first app is ready');
      await first.ready();
      assert.deepEqual(received, [[['/opt/app', '--show'], '/home/agent']]);
    });

    it('whenReady resolves only once fake.ready() emitted ready', async () => {
      const f = fake();
      let ready = false;
      void f.electron.app.whenReady().then(() => (ready = true));
      await f.settle();
      assert.equal(ready, false);
      assert.throws(() => new f.electron.BrowserWindow({}), /before app is ready/);
      assert.throws(() => f.electron.session.defaultSession, /when app is ready/);
      await f.ready();
      assert.equal(ready, true);
    });

    it('lets before-quit prevent the quit; a later quit emits will-quit and quit', async () => {
      const f = fake();
      await f.ready();
      const events: string[] = [];
      let prevent = true;
      f.electron.app.on('before-quit', (event) => {
        events.push('before-quit');
        if (prevent) event.preventDefault();
      });
      f.electron.app.on('will-quit', () => events.push('will-quit'));
      f.electron.app.on('quit', () => events.push('quit'));
      f.electron.app.quit();
      assert.deepEqual(events, ['before-quit']);
      assert.equal(f.app.quitted, false);
      prevent = false;
      f.electron.app.quit();
      assert.deepEqual(events, ['before-quit', 'before-quit', 'will-quit', 'quit']);
      assert.equal(f.app.quitted, true);
    });

    it('cancels the quit when a window prevents its close, as Electron does', async () => {
      const { f, win } = await readyWithWindow();
      win.on('close', (event) => event.preventDefault());
      f.electron.app.quit();
      assert.equal(f.app.quitted, false);
      assert.equal(win.isDestroyed(), false);
    });

    it('quits when the last window closes and nobody listens to window-all-closed', async () => {
      const { f, win } = await readyWithWindow();
      assert.equal(f.closeWindow(win), false);
      assert.equal(f.app.quitted, true);
    });

    it('records exit, relaunch, login items, and gives paths in the machine temp directory', async () => {
      const f = fake();
      const userData = f.electron.app.getPath('userData');
      assert.ok(userData.startsWith(f.machine.root) && existsSync(userData));
      f.electron.app.setLoginItemSettings({ openAtLogin: true });
      assert.equal(f.electron.app.getLoginItemSettings().openAtLogin, true);
      f.electron.app.relaunch();
      f.electron.app.exit(3);
      assert.equal(f.app.relaunches.length, 1);
      assert.equal(f.app.exitCode, 3);
    });
  });

  describe('windows', () => {
    it('records options, emits ready-to-show once after loadURL, and lets close be prevented', async () => {
      const { f, win } = await readyWithWindow();
      assert.equal(win.options.webPreferences?.contextIsolation, true);
      assert.equal(win.isVisible(), false);
      let readyToShow = 0;
      win.on('ready-to-show', () => readyToShow++);
      await f.settle();
      assert.equal(readyToShow, 1);
      await win.loadURL('app://bundle/other.html');
      await f.settle();
      assert.equal(readyToShow, 1);

      let prevent = true;
      win.on('close', (event) => {
        if (prevent) event.preventDefault();
      });
      f.electron.app.on('window-all-closed', () => undefined);
      assert.equal(f.closeWindow(win), true);
      assert.equal(win.isDestroyed(), false);
      prevent = false;
      assert.equal(f.closeWindow(win), false);
      assert.equal(win.isDestroyed(), true);
      assert.equal(f.app.quitted, false, 'window-all-closed has a listener, so the app stays');
    });

    it('emits preventable navigation events and asks the window open handler', async () => {
      const { f, win } = await readyWithWindow();
      win.webContents.on('will-navigate', (event) => event.preventDefault());
      assert.equal(f.navigate(win, 'https://evil.example/'), true);
      assert.equal(win.webContents.getURL(), 'app://bundle/index.html');
      assert.equal(f.redirect(win, 'https://evil.example/'), false, 'no will-redirect listener');
      assert.deepEqual(f.openWindow(win, 'https://evil.example/'), { action: 'allow' }, 'Electron allows without a handler');
      win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
      assert.deepEqual(f.openWindow(win, 'https://evil.example/'), { action: 'deny' });
    });
  });

  describe('safeStorage', () => {
    it('round-trips, and the ciphertext does not contain the plain text in utf8, base64 or hex', async () => {
      const f = fake();
      assert.equal(f.electron.safeStorage.isEncryptionAvailable(), false, 'not before ready (Linux)');
      await f.ready();
      const plain = 'hunter2-secret-password';
      const encrypted = f.electron.safeStorage.encryptString(plain);
      assert.equal(f.electron.safeStorage.decryptString(encrypted), plain);
      for (const encoding of ['utf8', 'latin1', 'base64', 'base64url', 'hex'] as const) {
        assert.equal(encrypted.toString(encoding).includes(Buffer.from(plain).toString(encoding)), false, encoding);
        assert.equal(encrypted.toString(encoding).includes(plain), false, encoding);
      }
    });

    it('refuses tampered ciphertext and another machine key, and reports a settable backend', async () => {
      const a = fake();
      const b = fake();
      await a.ready();
      await b.ready();
      const encrypted = a.electron.safeStorage.encryptString('secret');
      const tampered = Buffer.from(encrypted);
      tampered[tampered.length - 1]! ^= 1;
      assert.throws(() => a.electron.safeStorage.decryptString(tampered), /Decryption failed/);
      assert.throws(() => b.electron.safeStorage.decryptString(encrypted), /Decryption failed/);
      assert.equal(a.electron.safeStorage.getSelectedStorageBackend(), 'gnome_libsecret');
      a.config.storageBackend = 'basic_text';
      assert.equal(a.electron.safeStorage.getSelectedStorageBackend(), 'basic_text');
      a.config.encryptionAvailable = false;
      assert.throws(() => a.electron.safeStorage.encryptString('x'), /Encryption is not available/);
    });

    it('shares the key between launches on one machine, like the OS keychain', async (t) => {
      const machine = createFakeMachine();
      t.after(() => machine.dispose());
      const first = fake({ machine });
      const second = fake({ machine });
      await first.ready();
      await second.ready();
      assert.equal(second.electron.safeStorage.decryptString(first.electron.safeStorage.encryptString('kept')), 'kept');
    });
  });

  describe('protocol and session', () => {
    it('serves fetches through the protocol handler with a real Request; privileged schemes only before ready', async () => {
      const f = fake();
      f.electron.protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
      assert.throws(() => f.electron.protocol.handle('app', () => new Response('')), /after the app is ready/);
      await f.ready();
      assert.throws(() => f.electron.protocol.registerSchemesAsPrivileged([]), /before app is ready/);
      f.electron.protocol.handle('app', (request) => new Response(`${request.method} ${new URL(request.url).pathname}`, { status: 200 }));
      const response = await f.fetch('app://bundle/index.html');
      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'GET /index.html');
      await assert.rejects(f.fetch('other://x/'), /ERR_UNKNOWN_URL_SCHEME/);
    });

    it('logs permission handlers before the first window, and calls them', async () => {
      const f = fake();
      await f.ready();
      const session = f.electron.session.defaultSession;
      session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
      session.setPermissionCheckHandler(() => false);
      const win = new f.electron.BrowserWindow({});
      assert.ok(win);
      const order = ['session.setPermissionRequestHandler', 'session.setPermissionCheckHandler', 'new BrowserWindow'].map((entry) => f.log.indexOf(entry));
      assert.deepEqual(order, [...order].sort((x, y) => x - y));
      assert.ok(order.every((index) => index >= 0));
      assert.equal(await f.requestPermission('media'), false);
      assert.equal(f.checkPermission('geolocation'), false);
    });

    it('grants permissions when no handler is installed, as Electron does', async () => {
      const { f } = await readyWithWindow();
      assert.equal(await f.requestPermission('notifications'), true);
      assert.equal(f.checkPermission('notifications'), true);
    });
  });

  describe('tray, menu, notifications, power', () => {
    it('clicks a tray menu item by label or id, and refuses a disabled one', async () => {
      const f = fake();
      await f.ready();
      const clicked: string[] = [];
      const { electron } = f;
      const tray = new electron.Tray(electron.nativeImage.createFromPath('/no/such/icon.png'));
      tray.setToolTip('Agent Companion');
      tray.setContextMenu(
        electron.Menu.buildFromTemplate([
          { label: 'Status', enabled: false },
          { type: 'separator' },
          { id: 'ready', label: 'Ready', type: 'radio', checked: false, click: () => clicked.push('ready') },
          { id: 'away', label: 'Away', type: 'radio', checked: true, click: () => clicked.push('away') },
          { label: 'More', submenu: [{ label: 'Quit', click: (item) => clicked.push(`quit:${item.label}`) }] },
        ]),
      );
      f.clickMenuItem('ready');
      f.clickMenuItem('Quit');
      assert.deepEqual(clicked, ['ready', 'quit:Quit']);
      assert.deepEqual(f.tray().menu?.items.filter((i) => i.type === 'radio').map((i) => i.checked), [true, false]);
      assert.throws(() => f.clickMenuItem('Status'), /cannot be clicked/);
      assert.throws(() => f.clickMenuItem('Nope'), /no menu item/);
      assert.equal(f.tray().tooltip, 'Agent Companion');
      assert.equal(f.tray().imagePath, '/no/such/icon.png');
      assert.throws(() => electron.Menu.buildFromTemplate([{}]), /must have at least one of label, role or type/);
    });

    it('lists notifications and clicks them, only once shown', async () => {
      const f = fake();
      await f.ready();
      const { Notification } = f.electron;
      assert.equal(Notification.isSupported(), true);
      const events: unknown[] = [];
      const notification = new Notification({ title: 'Ringing', body: 'Call from 555', urgency: 'critical', actions: [{ type: 'button', text: 'Answer' }] });
      notification.on('click', () => events.push('click'));
      notification.on('action', (_event, index) => events.push(['action', index]));
      assert.throws(() => f.notifications[0]!.click(), /not on screen/);
      notification.show();
      const shown = f.shownNotifications.filter((n) => n.title === 'Ringing' && n.body === 'Call from 555');
      assert.equal(shown.length, 1);
      assert.equal(shown[0]!.urgency, 'critical');
      shown[0]!.click();
      shown[0]!.action(0);
      assert.throws(() => shown[0]!.action(1), RangeError);
      assert.deepEqual(events, ['click', ['action', 0]]);
      f.config.notificationsSupported = false;
      assert.equal(Notification.isSupported(), false);
    });

    it('emits powerMonitor resume and suspend', () => {
      const f = fake();
      const events: string[] = [];
      f.electron.powerMonitor.on('resume', () => events.push('resume'));
      f.electron.powerMonitor.on('suspend', () => events.push('suspend'));
      f.suspend();
      f.resume();
      assert.deepEqual(events, ['suspend', 'resume']);
    });
  });
});
