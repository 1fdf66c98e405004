/**
 * The Electron shell (`main/shell.ts` and its modules in `main/shell/`), run under `npm test` against a typed fake of Electron
 * (`test/support/electron-fake.ts`: IPC values structured-cloned, a second launch on the same
 * machine, safeStorage with a backend). The window's side is the real bridge client over the fake
 * IPC, as the preload runs it. A platform is the real Enreach connector against its simulator.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { appLogger } from '../../main/app.js';
import { LogSink } from '../../main/log-files.js';
import { APP_ID, policySource, WINDOWS_POLICY_KEY, type PolicySource } from '../../main/policy.js';
import { strFromU8, unzipSync } from 'fflate';
import { runShell, type SettingsFile, type Shell } from '../../main/shell.js';
import { toastOptions } from '../../main/shell/notifications.js';
import { APP_URL } from '../../main/shell/protocol.js';
import { startEnreachSimulator, type EnreachSimulator } from '../../main/vendors/enreach/simulator/index.js';
import { startGenesysSimulator, type GenesysSimulator } from '../../main/vendors/genesys/simulator/index.js';
import { applyChange } from '../../common/patch.js';
import { SECRET_KEPT, WIRE_CHANNEL, type DeskApi, type DeskState } from '../../preload/bridge.js';
import { createBridgeClient } from '../../preload/client.js';
import { canary, canaryForms, leaks } from '../support/canary.js';
import { Closers } from '../support/closers.js';
import { MAP_SPELLINGS, rendererWithMap } from '../support/map-spellings.js';
import { eventually } from '../support/eventually.js';
import { createFakeElectron, createFakeMachine, type FakeElectron, type FakeMachine, type FakeWindow } from '../support/electron-fake.js';
import { FakeUpdater } from '../support/fake-updater.js';

const ASSETS = join(import.meta.dirname, '..', '..', 'assets');

/** The settings store, as electron-store keeps it: one JSON file. */
class JsonSettingsFile implements SettingsFile {
  constructor(readonly path: string) {}
  get store(): Record<string, unknown> {
    return existsSync(this.path) ? (JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, unknown>) : {};
  }
  set store(value: Record<string, unknown>) {
    writeFileSync(this.path, JSON.stringify(value));
  }
}

/**
 * The call history's store, as electron-store (`name: 'history'`) keeps it: its own JSON file in
 * userData; opening a file that is not JSON throws (electron-store's default, `clearInvalidConfig: false`).
 */
function openHistoryFile(path: string): SettingsFile {
  const file = new JsonSettingsFile(path);
  void file.store;
  return file;
}

/** One launch of the app on a fake machine, and its window's end of the wire. */
interface Launch {
  fake: FakeElectron;
  shell: Shell;
  window: FakeWindow;
  api: DeskApi;
  state(): DeskState | undefined;
  logLines: string[];
  settingsFile: JsonSettingsFile;
}

const closers = new Closers();
afterEach(() => closers.closeAll());

async function launch(
  options: {
    machine?: FakeMachine;
    argv?: string[];
    store?: Record<string, unknown>;
    storageBackend?: 'basic_text' | 'gnome_libsecret';
    platform?: NodeJS.Platform;
    beforeReady?: (fake: FakeElectron) => void;
    keepHistory?: boolean;
    /** Write the log files too (in the fake's `logs` folder), as the app does. */
    logFiles?: boolean;
    /** The OS's policies (default: none). */
    policies?: PolicySource;
    /** electron-updater's fake (default: none, as a build without one). */
    updater?: FakeUpdater;
  } = {},
): Promise<Launch> {
  const fake = closers.add(createFakeElectron({ machine: options.machine, argv: options.argv, storageBackend: options.storageBackend }), (f) => {
    if (!f.app.quitted) f.electron.app.quit();
    return eventually(() => f.app.quitted || f.app.exitCode !== undefined, 'the app quit').finally(() => f.dispose());
  });
  const settingsFile = new JsonSettingsFile(join(fake.electron.app.getPath('userData'), 'settings.json'));
  if (options.store) settingsFile.store = options.store;
  const logLines: string[] = [];
  const logSink = new LogSink({ write: (line: string) => logLines.push(line) });
  const shell = runShell({
    electron: fake.electron,
    openSettingsFile: () => settingsFile,
    ...(options.keepHistory ? { openHistoryFile: () => openHistoryFile(historyPath(fake)) } : {}),
    argv: options.argv ?? ['electron', '.'],
    env: {},
    platform: options.platform ?? 'linux',
    openPreferencesFile: () => new JsonSettingsFile(join(fake.electron.app.getPath('userData'), 'preferences.json')),
    log: appLogger('trace', logSink),
    ...(options.logFiles ? { logSink } : {}),
    policies: options.policies ?? { read: async () => [] },
    ...(options.updater ? { updater: options.updater, random: () => 0 } : {}),
    paths: { renderer: rendererWithMap(), preload: '/app/dist/preload/index.cjs', assets: ASSETS },
    backoff: { initialMs: 50, maxMs: 300, jitter: 0 },
  });
  if (!shell.primary) return { fake, shell, window: undefined as unknown as FakeWindow, api: undefined as unknown as DeskApi, state: () => undefined, logLines, settingsFile };
  options.beforeReady?.(fake);
  await fake.ready();
  await shell.ready;
  const window = fake.windows[0]!;
  // The preload's side: the same client, over the fake IPC.
  const renderer = fake.renderer(window);
  const client = createBridgeClient({ transport: { send: (text) => (renderer.send(WIRE_CHANNEL, text), true) } });
  renderer.on(WIRE_CHANNEL, (text) => client.receive(text as string));
  let view: ReturnType<typeof applyChange>;
  client.api.onChange((change) => (view = applyChange(view, change)));
  client.opened();
  return { fake, shell, window, api: client.api, state: () => view?.state, logLines, settingsFile };
}

/** An account of the Enreach simulator, as a settings store would hold it. */
async function enreachStore(): Promise<{ simulator: EnreachSimulator; store: Record<string, unknown> }> {
  const simulator = closers.add(await startEnreachSimulator(), (s) => s.close());
  const { user, secretKey } = simulator.credentials;
  return { simulator, store: { accounts: [{ id: 'voice', vendor: 'enreach', label: 'Voice', apiUrl: simulator.apiUrl, user, secretKey }] } };
}

/** Where the fake app's call history file lives (electron-store's `history.json` in userData). */
const historyPath = (fake: FakeElectron): string => join(fake.electron.app.getPath('userData'), 'history.json');

const connected = (app: Launch, id: string) => eventually(() => app.state()?.accounts[id]?.connection === 'connected', `${id} connected in the window`);

describe('Electron shell (against a typed fake of Electron)', () => {
  after(() => closers.closeAll());

  it('opens a hardened window from app:// and gives it its first state over structured-cloned IPC', async () => {
    const { store } = await enreachStore();
    const app = await launch({ store });
    const prefs = app.window.options.webPreferences!;
    assert.deepEqual(
      { contextIsolation: prefs.contextIsolation, sandbox: prefs.sandbox, nodeIntegration: prefs.nodeIntegration, webviewTag: prefs.webviewTag },
      { contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false },
    );
    assert.deepEqual(app.window.loadedURLs, [APP_URL]);
    await connected(app, 'voice');
    assert.equal(app.state()!.demo, false);
  });

  it('denies permissions (handlers installed before any window), navigation, new windows and webviews', async () => {
    const { store } = await enreachStore();
    const app = await launch({ store });
    const order = app.fake.log;
    assert.ok(order.indexOf('session.setPermissionCheckHandler') >= 0 && order.indexOf('session.setPermissionCheckHandler') < order.indexOf('new BrowserWindow'), order.join(', '));
    assert.ok(order.indexOf('session.setPermissionRequestHandler') < order.indexOf('new BrowserWindow'));
    assert.equal(await app.fake.requestPermission('notifications'), false);
    assert.equal(await app.fake.requestPermission('media'), false);
    assert.equal(app.fake.checkPermission('geolocation'), false);
    assert.equal(app.fake.navigate(app.window, 'https://example.com/'), true);
    assert.deepEqual(app.fake.openWindow(app.window, 'https://example.com/'), { action: 'deny' });
    assert.equal(app.fake.attachWebview(app.window), true);
  });

  it('serves the page with its CSP from app://, and no source map or file outside the build', async () => {
    const { store } = await enreachStore();
    const app = await launch({ store });
    const page = await app.fake.fetch(APP_URL);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal((await app.fake.fetch('app://desk/assets/app.js')).status, 200);
    assert.equal((await app.fake.fetch('app://desk/assets/%61pp.js')).status, 200);
    // No spelling of the source map's path reaches it (issue 16, finding 6).
    for (const path of MAP_SPELLINGS) assert.equal((await app.fake.fetch(`app://desk${path}`)).status, 404, path);
    assert.equal((await app.fake.fetch('app://desk/..%2f..%2fetc%2fpasswd')).status, 404);
    assert.equal((await app.fake.fetch('app://elsewhere/index.html')).status, 404);
  });

  it('sends the presence chosen in the tray menu to the platform', async () => {
    const { simulator, store } = await enreachStore();
    const app = await launch({ store });
    await connected(app, 'voice');
    await eventually(() => app.fake.tray().menu?.find('presence:not-ready')?.enabled, 'the tray offers Not ready');
    app.fake.clickMenuItem('presence:not-ready');
    await eventually(() => simulator.availability !== 'Available' && simulator.availability, 'the platform got the new availability');
    await eventually(() => app.state()!.accounts.voice!.presence?.state === 'not-ready', 'the window shows Not ready');
  });

  it('quits from the tray only after the platform session ended cleanly, even when Quit is clicked twice; then the tray icon goes', async () => {
    const { simulator, store } = await enreachStore();
    const app = await launch({ store });
    await connected(app, 'voice');
    app.fake.clickMenuItem('quit');
    app.fake.clickMenuItem('quit');
    const [tray] = app.fake.trays;
    assert.equal(tray!.destroyed, false, 'the tray stays while the session ends');
    await eventually(() => app.fake.app.quitted, 'the app quit');
    assert.equal(simulator.cleanStops, 1, 'the hub session was ended before the app quit');
    assert.equal(tray!.destroyed, true, 'the tray icon is gone');
    assert.equal(app.fake.ipcMain.events.listenerCount(WIRE_CHANNEL), 0, 'nothing listens to the wire any more');
  });

  it('raises exactly one notification for a ringing call, with caller and account; a click shows that call', async () => {
    const { simulator, store } = await enreachStore();
    const app = await launch({ store });
    await connected(app, 'voice');
    const callId = simulator.ringCall({ caller: '+358401112233' });
    const key = `voice/${callId}`;
    await eventually(() => app.state()!.calls[key], 'the call reached the window');
    const shown = await eventually(() => app.fake.shownNotifications.find((n) => n.title.includes('+358401112233')), 'a notification');
    assert.match(shown.body ?? '', /Voice/);
    app.fake.closeWindow(app.window);
    assert.equal(app.window.isVisible(), false);
    const focus = app.fake.renderer(app.window).next(WIRE_CHANNEL);
    shown.click();
    const [text] = await focus;
    assert.deepEqual(JSON.parse(text as string), { type: 'focus', target: { kind: 'call', key } });
    assert.equal(app.window.isVisible(), true);
    simulator.answerCall(callId);
    await eventually(() => app.state()!.calls[key]?.state === 'connected', 'the call connected');
    await app.fake.settle();
    assert.equal(app.fake.notifications.filter((n) => n.title.includes('+358401112233')).length, 1);
  });

  it('speaks the OS’s language (German) in the tray menu, its tooltip and a call’s notification, and follows the window when it switches', async () => {
    const { simulator, store } = await enreachStore();
    const machine = createFakeMachine();
    machine.languages = ['de-DE', 'en-US'];
    const app = await launch({ machine, store });
    await connected(app, 'voice');
    await eventually(() => app.fake.tray().menu?.find('quit')?.label === 'Beenden', 'the tray menu in German');
    assert.equal(app.fake.tray().menu?.find('show')?.label, 'Agent Companion anzeigen');
    assert.match(app.fake.tray().tooltip, /^Bereit\b.*Agent Companion$/, 'the tooltip says the presence in German');
    const callId = simulator.ringCall({ caller: '+358401117788' });
    const shown = await eventually(() => app.fake.shownNotifications.find((n) => n.title.includes('+358401117788')), 'a notification');
    assert.equal(shown.title, 'Eingehender Anruf von +358401117788');
    assert.match(app.fake.tray().tooltip, /^Bereit · Klingelt/, 'the tooltip says the ring in German');
    simulator.answerCall(callId);
    // The agent picks French in the window: the tray follows at once, no restart.
    await app.api.reportLocale('fr');
    await eventually(() => app.fake.tray().menu?.find('quit')?.label === 'Quitter', 'the tray menu in French');
    assert.equal(app.fake.tray().menu?.find('show')?.label, 'Afficher Agent Companion');
  });

  it('closes the call’s notification by itself when the call is answered elsewhere, and flashes tray and taskbar only while it rings', async () => {
    const { simulator, store } = await enreachStore();
    const app = await launch({ store });
    await connected(app, 'voice');
    app.window.focused = false;
    const resting = app.fake.tray().imagePath;
    const callId = simulator.ringCall({ caller: '+358401114455' });
    const key = `voice/${callId}`;
    const toast = await eventually(() => app.fake.shownNotifications.find((n) => n.title.includes('+358401114455')), 'a notification');
    assert.equal(app.window.flashing, true, 'the taskbar button asks for attention');
    // The tray alternates between the ringing icon and the presence one.
    await eventually(() => app.fake.tray().imagePath.endsWith('ringing.png'), 'the ringing icon');
    await eventually(() => app.fake.tray().imagePath === resting, 'the presence icon in between');
    await eventually(() => app.fake.tray().imagePath.endsWith('ringing.png'), 'the ringing icon again');

    simulator.answerCall(callId); // on the desk phone, not in the app
    await eventually(() => app.state()!.calls[key]?.state === 'connected', 'the call connected');
    await eventually(() => toast.closed, 'the notification closed itself');
    assert.equal(app.fake.shownNotifications.length, 0);
    assert.equal(app.window.flashing, false, 'the taskbar stops asking');
    await eventually(() => !app.fake.tray().imagePath.endsWith('ringing.png'), 'the tray rests');
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.equal(app.fake.tray().imagePath.endsWith('ringing.png'), false, 'and stays at rest');
  });

  it('keeps the call history in its own electron-store file across a restart, with the missed calls on the badge and the tray until seen', async () => {
    const machine = closers.add(createFakeMachine(), (m) => m.dispose());
    const { simulator, store } = await enreachStore();
    const first = await launch({ machine, store, keepHistory: true });
    await connected(first, 'voice');
    const callId = simulator.ringCall({ caller: '+358401119999' });
    await eventually(() => first.state()!.calls[`voice/${callId}`], 'the call rings in the window');
    simulator.missCall(callId);
    await eventually(() => first.state()!.missedUnseen === 1, 'one missed call counted');
    await eventually(() => first.fake.app.badgeCount === 1, 'the badge shows it');
    await eventually(() => first.fake.tray().tooltip.includes('1 missed call'), 'the tray tooltip says it');
    assert.ok(first.fake.tray().menu?.find('history'), 'a "1 missed call" line in the tray menu');
    first.fake.electron.app.quit();
    await eventually(() => first.fake.app.quitted, 'the first launch quit');
    const kept = JSON.parse(readFileSync(historyPath(first.fake), 'utf8')) as { calls: Array<{ caller: string; outcome: string }>; missedUnseen: number };
    assert.deepEqual(kept.calls.map((c) => [c.caller, c.outcome]), [['+358401119999', 'missed']]);
    assert.equal(kept.missedUnseen, 1);
    assert.ok(!existsSync(join(first.fake.electron.app.getPath('userData'), 'settings.json')) || !readFileSync(join(first.fake.electron.app.getPath('userData'), 'settings.json'), 'utf8').includes('+358401119999'), 'the history is not in the settings file');

    const second = await launch({ machine, store, keepHistory: true });
    await eventually(() => second.state()?.recentCalls.some((c) => c.caller === '+358401119999' && c.outcome === 'missed'), 'the missed call is still in the history');
    assert.equal(second.state()!.missedUnseen, 1);
    await eventually(() => second.fake.app.badgeCount === 1, 'the badge shows it after the restart');
    await second.api.markMissedSeen();
    await eventually(() => second.fake.app.badgeCount === 0, 'seen: the badge is cleared');
    await eventually(() => !second.fake.tray().tooltip.includes('missed'), 'and the tray no longer says it');
  });

  it('sets a corrupt history file aside under a timestamped name, says so once in the log and the window, and never writes over it', async () => {
    // Before issue 16 electron-store's file was replaced by the next write (`clearInvalidConfig`), and the good entries were gone.
    const machine = closers.add(createFakeMachine(), (m) => m.dispose());
    const { simulator, store } = await enreachStore();
    const probe = createFakeElectron({ machine });
    const path = historyPath(probe);
    const userData = probe.electron.app.getPath('userData');
    probe.dispose();
    const corrupt = '{"calls": [{"caller": "+3584';
    writeFileSync(path, corrupt);
    // An older copy set aside before must survive too.
    writeFileSync(`${path}.2020-01-01T00-00-00Z.corrupt`, 'older');
    const app = await launch({ machine, store, keepHistory: true });
    await connected(app, 'voice');
    assert.deepEqual(app.state()!.recentCalls, []);
    const aside = readdirSync(userData).filter((name) => /^history\.json\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ(-\d+)?\.corrupt$/.test(name) && !name.startsWith('history.json.2020'));
    assert.equal(aside.length, 1, `the file is set aside (${readdirSync(userData).join(', ')})`);
    assert.equal(readFileSync(join(userData, aside[0]!), 'utf8'), corrupt, 'whole');
    assert.equal(readFileSync(`${path}.2020-01-01T00-00-00Z.corrupt`, 'utf8'), 'older', 'the older copy is untouched');
    assert.equal(app.logLines.filter((line) => line.includes('cannot be read; starting with an empty history')).length, 1);
    assert.match(app.state()!.historyNotice ?? '', new RegExp(`could not be read \\(not valid JSON\\).*kept as .*${aside[0]!.replace(/[.]/g, '\\.')}`));

    // The next call is kept in a new file; the set-aside copy stays as it was.
    const callId = simulator.ringCall({ caller: '+358401110000' });
    await eventually(() => app.state()?.calls[`voice/${callId}`], 'the call rings');
    simulator.missCall(callId);
    await eventually(() => existsSync(path) && readFileSync(path, 'utf8').includes('+358401110000'), 'the new history is written');
    assert.equal(readFileSync(join(userData, aside[0]!), 'utf8'), corrupt);

    // The agent dismisses the notice; it is gone from the window.
    await app.api.dismissHistoryNotice();
    await eventually(() => app.state() && app.state()!.historyNotice === undefined, 'the notice is dismissed');
  });

  it('starts when the preferences file is corrupt or too large, setting it aside', async () => {
    const machine = closers.add(createFakeMachine(), (m) => m.dispose());
    const { store } = await enreachStore();
    const probe = createFakeElectron({ machine });
    const userData = probe.electron.app.getPath('userData');
    probe.dispose();
    writeFileSync(join(userData, 'preferences.json'), '{"dialAccount": ');
    const app = await launch({ machine, store });
    await connected(app, 'voice');
    assert.ok(readdirSync(userData).some((name) => /^preferences\.json\..*\.corrupt$/.test(name)), 'set aside');
    assert.equal(app.logLines.filter((line) => line.includes('The preferences file') && line.includes('is not valid JSON')).length, 1);
  });

  it('saves diagnostics from the tray: the window lists the files first, then the zip goes where the agent chose, with the log files and no secret', async () => {
    const { simulator, store } = await enreachStore();
    const app = await launch({ store, logFiles: true });
    await connected(app, 'voice');
    app.fake.closeWindow(app.window);
    const asked = new Promise((resolve) => app.api.onFocus(resolve));
    app.fake.clickMenuItem('Save diagnostics…');
    assert.deepEqual(await asked, { kind: 'diagnostics' }, 'the window is asked to show the list');
    assert.equal(app.window.isVisible(), true, 'the window is shown');
    assert.equal(app.fake.saveDialogs.length, 0, 'nothing is saved before the agent says so');

    const listing = await app.api.listDiagnostics();
    const names = listing.files.map((file) => file.name);
    for (const name of ['README.txt', 'versions.json', 'configuration.json', 'connections.json', 'alerts.json', 'crash-dumps.json']) assert.ok(names.includes(name), `${name} is listed`);
    assert.ok(names.some((name) => name.startsWith('logs/agent-companion.')), `a log file is listed: ${names.join(', ')}`);

    app.fake.saveDialogAnswer = undefined;
    assert.deepEqual(await app.api.saveDiagnostics(), { kind: 'cancelled' }, 'a cancelled dialog saves nothing');
    const target = join(app.fake.electron.app.getPath('temp'), 'support.zip');
    app.fake.saveDialogAnswer = target;
    assert.deepEqual(await app.api.saveDiagnostics(), { kind: 'saved', path: target });
    assert.equal(app.fake.saveDialogs.at(-1)!.defaultPath, join(app.fake.electron.app.getPath('downloads'), listing.fileName), 'offered in Downloads under its name');

    const files = unzipSync(readFileSync(target));
    assert.deepEqual(Object.keys(files).sort(), [...names].sort(), 'the zip holds what was listed');
    assert.equal(JSON.parse(strFromU8(files['versions.json']!)).app, '0.1.0');
    const timeline = JSON.parse(strFromU8(files['connections.json']!)) as Record<string, Array<{ state: string }>>;
    assert.ok(timeline.voice?.some((entry) => entry.state === 'connected'), 'the account’s connection is on its timeline');
    const secret = new Map([['enreach secret key', canaryForms(simulator.credentials.secretKey)]]);
    for (const [name, data] of Object.entries(files)) assert.deepEqual(leaks(strFromU8(data), secret), [], `no secret in ${name}`);
    assert.match(strFromU8(files['configuration.json']!), /"secretKey": "\[secret, masked\]"/);
  });

  it('on Windows, applies HKLM’s policies above HKCU’s and the stored settings, and the settings screen says which fields they manage', async () => {
    const { store } = await enreachStore();
    const registry = {
      HKLM: [{ name: 'ChatToasts', type: 'REG_DWORD', value: '0x0' }],
      HKCU: [
        { name: 'ChatToasts', type: 'REG_DWORD', value: '0x1' },
        { name: 'Theme', type: 'REG_SZ', value: 'dark' },
      ],
    };
    const policies = policySource('win32', APP_ID, { readFile: async () => undefined, registryValues: async (hive, key) => (key === WINDOWS_POLICY_KEY ? registry[hive] : []) });
    const app = await launch({ store: { ...store, display: { theme: 'light', toasts: { calls: true, chats: true } } }, platform: 'win32', policies });
    await connected(app, 'voice');
    const view = await app.api.getSettings();
    assert.equal(view.settings.display.theme, 'dark', 'HKCU’s policy is above the stored light');
    assert.equal(view.settings.display.toasts.chats, false, 'HKLM’s policy is above HKCU’s');
    assert.deepEqual(view.managed, { 'display.toasts.chats': { policy: 'ChatToasts', source: `HKLM${WINDOWS_POLICY_KEY}` }, 'display.theme': { policy: 'Theme', source: `HKCU${WINDOWS_POLICY_KEY}` } });
  });

  it('checks for updates only where a policy turns them on, and asks before restarting, "Later" being the default', async (t) => {
    const { store } = await enreachStore();
    const unmanaged = new FakeUpdater();
    const plain = await launch({ store, updater: unmanaged });
    assert.deepEqual(unmanaged.feeds, [], 'no update server set: nothing is checked');
    assert.ok(plain.logLines.some((line) => line.includes('update checks off') && line.includes('no update server')));

    const registry = [
      { name: 'Updates', type: 'REG_DWORD', value: '0x1' },
      { name: 'UpdateUrl', type: 'REG_SZ', value: 'https://updates.example.com/agent-companion/' },
      { name: 'UpdateChannel', type: 'REG_SZ', value: 'beta' },
    ];
    const policies = policySource('win32', APP_ID, { readFile: async () => undefined, registryValues: async (hive, key) => (hive === 'HKLM' && key === WINDOWS_POLICY_KEY ? registry : []) });
    const updater = new FakeUpdater();
    const app = await launch({ store, platform: 'win32', policies, updater });
    assert.deepEqual(updater.feeds, [{ provider: 'generic', url: 'https://updates.example.com/agent-companion/', channel: 'beta' }]);
    const view = await app.api.getSettings();
    assert.deepEqual(view.managed?.['updates.url'], { policy: 'UpdateUrl', source: `HKLM${WINDOWS_POLICY_KEY}` });

    let answer: (index: number) => void = () => undefined;
    app.fake.messageBoxAnswer = () => new Promise((resolve) => (answer = resolve));
    updater.downloaded('2.4.0');
    await eventually(() => app.fake.messageBoxes.length === 1, 'the agent was asked');
    const box = app.fake.messageBoxes[0]!;
    assert.match(box.message, /2\.4\.0 is ready to install/);
    assert.equal(box.buttons?.[box.defaultId ?? -1], 'Later', 'Enter does not restart the agent’s app');
    assert.equal(box.buttons?.[box.cancelId ?? -1], 'Later');
    answer(box.buttons!.indexOf('Restart now'));
    await eventually(() => updater.installs.length === 1, 'restarted into the installer');
    t.diagnostic(`asked: ${box.message}`);
  });

  it('asks the update question in the agent’s language (German), "Später" being the default, and restarts only on "Jetzt neu starten"', async () => {
    const machine = createFakeMachine();
    machine.languages = ['de-DE', 'en-US'];
    const registry = [
      { name: 'Updates', type: 'REG_DWORD', value: '0x1' },
      { name: 'UpdateUrl', type: 'REG_SZ', value: 'https://updates.example.com/agent-companion/' },
    ];
    const policies = policySource('win32', APP_ID, { readFile: async () => undefined, registryValues: async (hive, key) => (hive === 'HKLM' && key === WINDOWS_POLICY_KEY ? registry : []) });
    const updater = new FakeUpdater();
    const app = await launch({ machine, platform: 'win32', policies, updater });
    await eventually(() => app.fake.tray().menu?.find('quit')?.label === 'Beenden', 'the app speaks German');
    let answer: (index: number) => void = () => undefined;
    app.fake.messageBoxAnswer = () => new Promise((resolve) => (answer = resolve));
    updater.downloaded('2.4.0');
    await eventually(() => app.fake.messageBoxes.length === 1, 'the agent was asked');
    const box = app.fake.messageBoxes[0]!;
    assert.equal(box.title, 'Update bereit');
    assert.equal(box.message, 'Agent Companion 2.4.0 kann installiert werden');
    assert.match(box.detail ?? '', /Jetzt neu starten, um zu aktualisieren/);
    assert.deepEqual(box.buttons, ['Jetzt neu starten', 'Später']);
    assert.equal(box.buttons[box.defaultId ?? -1], 'Später', 'Enter does not restart the agent’s app');
    assert.equal(box.buttons[box.cancelId ?? -1], 'Später');
    answer(box.buttons.indexOf('Später'));
    await eventually(() => app.logLines.some((line) => line.includes('the agent chose later')), 'the answer was heard');
    assert.equal(updater.installs.length, 0, 'Später leaves it for the next quit');
  });

  it('keeps crash reports on the computer unless a policy names a server, and reloads a crashed page once', async () => {
    const { store } = await enreachStore();
    const app = await launch({ store });
    assert.deepEqual(app.fake.crashReporterStarts.map((o) => [o.uploadToServer, o.submitURL]), [[false, '']]);
    const contents = app.window.webContents;
    contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 11 });
    assert.equal(contents.reloads, 1, 'reloaded');
    contents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 12 });
    assert.equal(contents.reloads, 1, 'not reloaded in a loop');
    assert.ok(app.logLines.some((line) => line.includes('not reloading it a second time')));

    const policies = policySource('linux', APP_ID, { readFile: async (path) => (path === '/etc/agent-companion/policy.json' ? Buffer.from(JSON.stringify({ CrashReportUrl: 'https://crashes.example.com/submit' })) : undefined), registryValues: async () => [] });
    const managed = await launch({ store, policies });
    assert.deepEqual(managed.fake.crashReporterStarts.map((o) => [o.uploadToServer, o.submitURL]), [[true, 'https://crashes.example.com/submit']]);
  });

  it('reloads a window that stopped responding for 15 s, and not one that recovered', async (t) => {
    const { store } = await enreachStore();
    const app = await launch({ store });
    t.mock.timers.enable({ apis: ['setTimeout'] });
    app.window.emit('unresponsive');
    t.mock.timers.tick(10_000);
    app.window.emit('responsive');
    t.mock.timers.tick(10_000);
    assert.equal(app.fake.log.filter((l) => l === 'webContents.forcefullyCrashRenderer').length, 0, 'it recovered by itself');
    app.window.emit('unresponsive');
    t.mock.timers.tick(15_000);
    assert.equal(app.fake.log.filter((l) => l === 'webContents.forcefullyCrashRenderer').length, 1, 'its process was ended');
    t.mock.timers.reset();
    await eventually(() => app.window.webContents.reloads === 1, 'and the page reloaded');
  });

  it('hides the window to the tray when it is closed, and shows it again from the tray', async () => {
    const { store } = await enreachStore();
    const app = await launch({ store });
    assert.equal(app.fake.closeWindow(app.window), true);
    assert.equal(app.window.isDestroyed(), false);
    assert.equal(app.window.isVisible(), false);
    app.fake.clickTray();
    assert.equal(app.window.isVisible(), true);
  });

  it('focuses the first window when the app is launched a second time', async () => {
    const machine = closers.add(createFakeMachine(), (m) => m.dispose());
    const { store } = await enreachStore();
    const first = await launch({ machine, store });
    first.fake.closeWindow(first.window);
    const second = await launch({ machine, argv: ['electron', '.', '--second'] });
    assert.equal(second.shell.primary, false);
    await eventually(() => first.window.isVisible(), 'the first window was shown');
    assert.equal(first.fake.windows.length, 1);
  });

  it('ignores the wire from a frame that is not our page', async () => {
    const { store } = await enreachStore();
    const app = await launch({ store });
    await connected(app, 'voice');
    const renderer = app.fake.renderer(app.window);
    renderer.frameUrl = 'https://evil.example/';
    const before = renderer.received(WIRE_CHANNEL).length;
    renderer.send(WIRE_CHANNEL, JSON.stringify({ type: 'invoke', id: 9, method: 'setPresence', args: ['offline'] }));
    await app.fake.settle();
    assert.equal(renderer.received(WIRE_CHANNEL).length, before);
    assert.ok(app.logLines.some((line) => line.includes('refused a bridge message from a foreign frame')));
  });

  it('stores a secret saved in settings only encrypted, and no secret crosses the wire', async () => {
    const simulator = closers.add(await startGenesysSimulator(), (s: GenesysSimulator) => s.close());
    const password = canary('genesys-password');
    const typed = canary('typed-in-settings');
    const { user } = simulator.credentials;
    const app = await launch({ store: { accounts: [{ id: 'contact', vendor: 'genesys', baseUrl: simulator.baseUrl, user, password }] } });
    await eventually(() => app.state()?.accounts.contact?.connection, 'the account was tried');
    const view = await app.api.getSettings();
    assert.deepEqual(view.settings.accounts[0]!.password, SECRET_KEPT);
    assert.equal(view.secrets?.protected, true);
    await app.api.saveSettings({ ...view.settings, accounts: [{ ...view.settings.accounts[0]!, password: typed }] });
    const written = readFileSync(app.settingsFile.path, 'utf8');
    const account = (JSON.parse(written) as { accounts: Array<{ password: { encrypted: string } }> }).accounts[0]!;
    assert.ok(account.password.encrypted, 'the new secret is stored as {encrypted}');
    const secrets = new Map([
      ['typed', canaryForms(typed, [user])],
      ['password', canaryForms(password, [user])],
    ]);
    assert.deepEqual(leaks(written, new Map([['typed', secrets.get('typed')!]])), [], 'the typed secret reached the file in plain text');
    const frames = app.fake.renderer(app.window).received(WIRE_CHANNEL).map(([text]) => text as string);
    assert.ok(frames.length > 0);
    for (const text of [...frames, ...app.logLines]) assert.deepEqual(leaks(text, secrets), [], text.slice(0, 300));
    await eventually(() => app.fake.app.relaunches.length > 0, 'the app restarts to apply the settings');
  });

  it('says in settings that secrets are only obfuscated where Linux has no keyring', async () => {
    const { store } = await enreachStore();
    const app = await launch({ store, storageBackend: 'basic_text' });
    const view = await app.api.getSettings();
    assert.equal(view.secrets?.protected, false);
    assert.match(view.secrets!.note, /only obfuscated/);
    assert.match(view.secrets!.note, /\{"env": "VARIABLE"\}/);
  });

  it('opens on the problems, never the demo, when the stored settings are not valid', async () => {
    const app = await launch({ store: { accounts: [{ id: 'voice', vendor: 'enreach', user: 'a@example.com', secretKey: 'k', pasword: 'x' }] } });
    await eventually(() => app.state(), 'the first state');
    assert.equal(app.state()!.demo, false);
    assert.deepEqual(Object.keys(app.state()!.accounts), []);
    assert.match(app.state()!.setup.problems.join('\n'), /accounts\[0\]\.pasword: unknown field; did you mean "password"\?/);
    const view = await app.api.getSettings();
    assert.equal(view.editable, true);
    assert.deepEqual(view.settings.accounts[0]!.secretKey, SECRET_KEPT, 'the stored document is shown for correction, secrets masked');
    assert.ok(view.problems.length > 0);
  });

  it('makes every connection prove itself when the machine wakes from sleep', async () => {
    const { simulator, store } = await enreachStore();
    const app = await launch({ store });
    await connected(app, 'voice');
    const tokensBefore = simulator.requests.filter((r) => r.path.includes('/rte/')).length;
    app.fake.resume();
    await eventually(() => simulator.requests.filter((r) => r.path.includes('/rte/')).length > tokensBefore, 'a fresh token was fetched');
    await connected(app, 'voice');
  });
});

/** An account of the Genesys simulator (it places calls), as a settings store would hold it. */
async function genesysStore(extra: { account?: Record<string, unknown>; top?: Record<string, unknown> } = {}): Promise<{ simulator: GenesysSimulator; store: Record<string, unknown> }> {
  const simulator = closers.add(await startGenesysSimulator(), (s: GenesysSimulator) => s.close());
  const { user, password } = simulator.credentials;
  return { simulator, store: { accounts: [{ id: 'contact', vendor: 'genesys', label: 'Genesys', baseUrl: simulator.baseUrl, user, password, ...extra.account }], ...extra.top } };
}

const dials = (simulator: GenesysSimulator): string[] =>
  simulator.operations.filter((op) => op.operationName === 'Dial').map((op) => String((op.body.destination as { phoneNumber?: string } | undefined)?.phoneNumber));

describe('Electron shell: tel: links, screen pops, start at login, do-not-disturb', () => {
  after(() => closers.closeAll());

  it('holds, retrieves and hangs up a connected call from the tray menu, and offers nothing for it once it ended', async () => {
    const { simulator, store } = await genesysStore();
    const app = await launch({ store });
    await connected(app, 'contact');
    const callId = simulator.ringCall({ ani: '+358401230001' });
    const key = `contact/${callId}`;
    await eventually(() => app.state()?.calls[key]?.actions.includes('answer'), 'the call rings');
    assert.equal(app.fake.tray().menu?.find(`call:hangup:${key}`), undefined, 'a ringing call is answered in the window, not from the tray');
    await app.api.callAction(key, 'answer');
    await eventually(() => app.fake.tray().menu?.find(`call:hold:${key}`), 'the tray offers Hold');
    assert.equal(app.fake.tray().menu?.find(`call:hangup:${key}`)?.label, 'Hang up +358401230001');
    app.fake.clickMenuItem(`call:hold:${key}`);
    await eventually(() => app.state()!.calls[key]?.state === 'held', 'the call is on hold');
    await eventually(() => app.fake.tray().menu?.find(`call:retrieve:${key}`), 'the tray offers Retrieve');
    app.fake.clickMenuItem(`call:retrieve:${key}`);
    await eventually(() => app.state()!.calls[key]?.state === 'connected', 'the call is back');
    await eventually(() => app.fake.tray().menu?.find(`call:hangup:${key}`), 'the tray offers Hang up again');
    app.fake.clickMenuItem(`call:hangup:${key}`);
    await eventually(() => app.state()!.calls[key] === undefined, 'the call ended');
    assert.deepEqual(
      simulator.operations.filter((op) => op.path.endsWith(`/calls/${callId}`)).map((op) => op.operationName),
      ['Answer', 'Hold', 'Retrieve', 'Hangup'],
    );
    await eventually(() => !app.fake.tray().menu?.find(`call:hangup:${key}`), 'the tray no longer offers it');
  });

  it('registers as the tel: and callto: handler (the argv form when run from source)', async () => {
    const { store } = await genesysStore();
    const app = await launch({ store });
    assert.deepEqual([...app.fake.machine.protocolClients.keys()].sort(), ['callto', 'tel']);
    assert.deepEqual(app.fake.machine.protocolClients.get('tel'), {});
  });

  it('puts a tel: link from a second launch on the desk, dials it only when the agent confirms, and remembers the account', async () => {
    const machine = closers.add(createFakeMachine(), (m) => m.dispose());
    const { simulator, store } = await genesysStore();
    const first = await launch({ machine, store });
    await connected(first, 'contact');
    first.fake.closeWindow(first.window);
    await launch({ machine, argv: ['electron', '.', 'tel:+1-555-010-0199'] });
    const pending = await eventually(() => first.state()?.pendingDial, 'the link waits on the desk');
    assert.deepEqual({ number: pending.number, link: pending.link, remembered: pending.remembered }, { number: '+15550100199', link: 'tel:+1-555-010-0199', remembered: undefined });
    assert.equal(first.window.isVisible(), true, 'the window comes forward to confirm');
    await first.fake.settle();
    assert.deepEqual(dials(simulator), [], 'nothing is dialled before the agent confirms');
    await first.api.confirmDial(pending.id, 'contact', true);
    await eventually(() => dials(simulator).includes('+15550100199'), 'the platform got the dial');
    await eventually(() => first.state()!.pendingDial === undefined, 'the link left the desk');
    // The next link offers the remembered account, and still waits for the agent.
    await launch({ machine, argv: ['electron', '.', 'callto://+15550100200'] });
    const next = await eventually(() => first.state()?.pendingDial, 'the second link waits');
    assert.equal(next.remembered, 'contact');
    await first.fake.settle();
    assert.deepEqual(dials(simulator), ['+15550100199']);
    await first.api.cancelDial(next.id);
    await eventually(() => first.state()!.pendingDial === undefined, 'cancelled');
  });

  it('takes a link from the first launch’s command line, and from macOS open-url before the app is ready', async () => {
    const { store } = await genesysStore();
    const windows = await launch({ store, argv: ['electron', '.', 'tel:+15550100300'] });
    assert.equal((await eventually(() => windows.state()?.pendingDial, 'the link waits')).number, '+15550100300');
    const mac = await launch({ store, platform: 'darwin', beforeReady: (fake) => assert.equal(fake.openUrl('callto:echo123'), true) });
    const refused = await eventually(() => mac.state()?.pendingDial, 'the link waits');
    assert.match(refused.refused ?? '', /Skype name/);
    await assert.rejects(mac.api.confirmDial(refused.id, 'contact', false), /Skype name/);
  });

  it('opens an allowed screen pop in the system browser, with encoded values, and the call card’s link only to that address', async () => {
    const { simulator, store } = await genesysStore({
      account: { screenPop: { url: 'https://crm.example.com/search?phone={caller}&case={userData.CaseId}', on: 'ringing' } },
      top: { screenPop: { allowedHosts: ['crm.example.com'] } },
    });
    const app = await launch({ store });
    await connected(app, 'contact');
    const id = simulator.ringCall({ ani: '+1 555 0100', userData: { CaseId: 'A&B' } });
    const expected = 'https://crm.example.com/search?phone=%2B1%20555%200100&case=A%26B';
    await eventually(() => app.fake.openedExternally.includes(expected), 'the pop opened in the browser');
    // The window hears of the pop with the next desk change (the bridge sends at most one a frame).
    await eventually(() => app.state()?.screenPops?.[`contact/${id}`]?.url === expected, 'the call card offers the pop');
    assert.deepEqual(app.fake.openWindow(app.window, expected), { action: 'deny' });
    assert.deepEqual(app.fake.openedExternally, [expected, expected], '"Open in CRM" goes to the browser');
    assert.deepEqual(app.fake.openWindow(app.window, 'https://evil.example/'), { action: 'deny' });
    assert.equal(app.fake.openedExternally.length, 2, 'any other address is dropped');
  });

  it('opens nothing for a pop off the allow-list, and says why on the call', async () => {
    const { simulator, store } = await genesysStore({
      account: { screenPop: { url: 'https://crm.example.com.evil.com/?p={caller}' } },
      top: { screenPop: { allowedHosts: ['crm.example.com'] } },
    });
    const app = await launch({ store });
    await connected(app, 'contact');
    const id = simulator.ringCall({ ani: '+15550100' });
    const pop = await eventually(() => app.state()?.screenPops?.[`contact/${id}`], 'the pop was decided');
    assert.match(pop.refused ?? '', /crm\.example\.com\.evil\.com is not on the list of screen pop hosts/);
    assert.deepEqual(app.fake.openedExternally, []);
    assert.ok(app.logLines.some((line) => line.includes('screen pop refused') && line.includes('"account":"contact"')));
  });

  it('starts at login on Windows with --hidden, and a hidden start shows no window until the tray is clicked', async () => {
    const { store } = await genesysStore({ top: { display: { startAtLogin: true } } });
    const app = await launch({ store, platform: 'win32', argv: ['app.exe', '--hidden'] });
    assert.deepEqual(app.fake.machine.loginItem, { openAtLogin: true, args: ['--hidden'] });
    app.window.emit('ready-to-show');
    assert.equal(app.window.isVisible(), false, 'no window at login');
    app.fake.clickTray();
    assert.equal(app.window.isVisible(), true);
  });

  it('leaves login items alone on Linux, where Electron has none', async () => {
    const { store } = await genesysStore({ top: { display: { startAtLogin: true } } });
    const app = await launch({ store });
    assert.deepEqual(app.fake.machine.loginItem, { openAtLogin: false });
  });

  it('lets ringing calls through do-not-disturb as each OS allows, chats never; and not at all when the agent says so', () => {
    const call = { id: 'call:a/1', title: 'Incoming call <+1>', body: 'Genesys & co', target: { kind: 'call' as const, key: 'a/1' } };
    const chat = { id: 'chat:a/2', title: 'New chat', body: 'Hi', target: { kind: 'chat' as const, key: 'a/2' } };
    assert.equal(toastOptions(call, 'linux', true).urgency, 'critical');
    assert.equal(toastOptions(call, 'linux', false).urgency, 'normal');
    assert.equal(toastOptions(chat, 'linux', true).urgency, 'normal');
    const windows = toastOptions(call, 'win32', true).toastXml ?? '';
    assert.match(windows, /<toast scenario="incomingCall"/);
    assert.match(windows, /<text>Incoming call &lt;\+1&gt;<\/text><text>Genesys &amp; co<\/text>/);
    assert.equal(toastOptions(call, 'win32', false).toastXml, undefined);
    assert.equal(toastOptions(chat, 'win32', true).toastXml, undefined);
    assert.equal(toastOptions(call, 'darwin', true).toastXml, undefined, 'macOS offers no public way through Focus');
    assert.deepEqual(toastOptions(call, 'darwin', true).actions, [{ type: 'button', text: 'Answer' }]);
  });
});
