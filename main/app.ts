/**
 * The core both hosts run: config → accounts (or demo mode) → connectors → desk → bridge hub and
 * alerts. The Electron shell and the web host differ only in the edges they wire to it (IPC vs.
 * WebSocket, OS notifications vs. Web Notifications, a tray vs. none).
 */
import type { ManagedBy } from '../common/settings.js';
import { enabledAccounts, resolveSecret, SecretError, type AccountConfig, type AppConfig } from './config.js';
import { decideToasts, toastsToClose, type AlertMemory } from './desk/alerts.js';
import { Desk, type DeskAccount, type DeskPreferences } from './desk/desk.js';
import type { DeskSetup, DeskState, FocusTarget, ScreenPop, Toast } from '../common/model.js';
import { ScreenPopper, type ScreenPopRule } from './desk/screen-pop.js';
import { keepHistory, loadHistory, type HistoryStore } from './desk/history.js';
import { BridgeHub } from './bridge.js';
import { AgentLanguage, WindowLocale } from './i18n.js';
import { startDemo, type Demo, type DemoScenario } from './demo/index.js';
import { createLogger, type Logger } from './log.js';
import { ReadOnlySettings, type SettingsStore } from './settings.js';
import type { SecretRef } from './vendors/kit/account.js';
import { ConnectionError, type Connector, type ConnectorContext } from './desk/port.js';
import type { BackoffPolicy } from './vendors/kit/supervisor.js';
import { accountSeed, allSecretFields, createConnector } from './vendors/index.js';
import { Automation } from './api/index.js';
import type { ClientDocument } from './api/clients.js';
import type { DiagnosticsControl } from './bridge.js';
import { DiagnosticsRecorder } from './diagnostics/record.js';
import { diagnosticsEntries, diagnosticsListing, zipDiagnostics } from './diagnostics/bundle.js';
import type { DiagnosticsSaved } from '../common/diagnostics.js';
import { arch, release, type } from 'node:os';

/**
 * The app's logger: pino JSON lines (stderr by default), with every registered platform's secret
 * fields redacted besides the credentials every platform shares (password, token, authorization…).
 * @param level `trace`…`fatal` or `silent`; default `AGENT_COMPANION_LOG`, else `info`.
 */
export function appLogger(level?: string, destination?: { write(line: string): unknown }): Logger {
  return createLogger(level, destination, allSecretFields());
}

/** What a host adds to the diagnostics (`main/diagnostics/`), and how it saves them. */
export interface DiagnosticsHost {
  /** Versions besides Node's and the OS (`app`, `electron`, `chrome`). */
  versions?: Readonly<Record<string, string>>;
  /** The log files' folder. */
  logDir?: string | undefined;
  /** The crash reports' folder. */
  crashDir?: string | undefined;
  /** The config fields a policy of the OS sets, and by what. */
  managed?: Readonly<Record<string, ManagedBy>> | undefined;
  /** Saves the zip (the desktop app: its save dialog). Default: back to the page as a download. */
  save?: (zip: Uint8Array, fileName: string) => Promise<DiagnosticsSaved>;
}

export interface CoreOptions {
  config: AppConfig;
  /** What this host adds to "Save diagnostics…" and how it saves them. */
  diagnostics?: DiagnosticsHost;
  /** Run the built-in simulators instead of the config's accounts (see `loadConfiguration`). */
  demo?: boolean;
  /** Where the settings came from, and why they could not be used (shown when the desk is empty). */
  setup?: DeskSetup;
  log: Logger;
  /** Decrypts `{encrypted}` secrets (Electron `safeStorage`); absent in the web host. */
  decrypt?: (base64: string) => string;
  env?: NodeJS.ProcessEnv;
  /** Demo mode's mean time between scripted calls, ms. */
  demoIntervalMs?: number;
  /** Demo mode's scenario: an agent's day (default) or a supervisor's floor (`--demo supervisor`). */
  demoScenario?: DemoScenario;
  /** The supervisor scenario's changes per second in all (default 1 000; tests pick a calm pace). */
  demoEventsPerSec?: number;
  /** Reconnect backoff for every connector (tests use a fast one). */
  backoff?: BackoffPolicy;
  /** Platform-specific connector tuning by vendor id (tests shorten heartbeats and long polls). */
  tuning?: Readonly<Record<string, unknown>>;
  /** What the settings screen edits; read-only by default. */
  settings?: SettingsStore;
  /** The agent's remembered choices (the account `tel:` links dial from); in memory when absent. */
  preferences?: DeskPreferences;
  /** Where the call history is kept across restarts; none: it lives as long as the core. */
  history?: HistoryStore;
  /** Where the automation API keeps the apps the agent paired; in memory when absent. */
  automationStore?: ClientDocument;
  /** The OS's preferred languages, most preferred first (the desktop app: `app.getPreferredSystemLanguages()`); the web host has none (the browser's count). */
  systemLanguages?: () => readonly string[];
}

/** The running core. */
export interface Core {
  desk: Desk;
  hub: BridgeHub;
  /** The demo's simulators when running in demo mode. */
  demo?: Demo;
  /** The local automation API, when `automation.enabled` (`main/api/`). */
  automation?: Automation;
  /** "Save diagnostics…": the files it would hold, and the save (issue 22). */
  diagnostics: DiagnosticsControl;
  /** The agent's language, as the main process speaks it (tray, toasts, notices; issue 19). */
  language: AgentLanguage;
  /** Listens to toasts the alert policy raises (each toast once, ever). Returns the unsubscribe function. */
  onToast(listener: (toast: Toast) => void): () => void;
  /**
   * Listens to toasts that should close: their call stopped ringing (answered here or elsewhere,
   * declined, ended) or their chat is no longer an invitation (`desk/alerts.ts`, `toastsToClose`).
   * Called once per toast id raised by {@link onToast}. Returns the unsubscribe function.
   */
  onToastClosed(listener: (id: string) => void): () => void;
  /**
   * Listens to screen pops to open now (allowed, and the agent's `display.screenPop` is `auto`):
   * the Electron shell opens them in the system browser; the web host's page opens them itself
   * from the desk state. Returns the unsubscribe function.
   */
  onScreenPop(listener: (pop: ScreenPop & { url: string }) => void): () => void;
  /** Stops connectors (cleanly ending vendor sessions), the demo, and the hub. */
  stop(): Promise<void>;
}

/**
 * A connector for an account that cannot start (e.g. its secret's environment variable is unset):
 * it shows `failed` with the reason, so the agent and the admin see what to fix.
 */
function unusableConnector(reason: string): Connector {
  let context: ConnectorContext | undefined;
  return {
    start(ctx) {
      context = ctx;
      ctx.emit({ type: 'connection', state: 'failed', reason });
    },
    retry() {
      context?.emit({ type: 'connection', state: 'failed', reason });
    },
    resume() {},
    async stop() {},
    async execute() {
      throw new ConnectionError(reason, true);
    },
  };
}

/**
 * Starts the core: the config's enabled accounts (none: an empty desk that says where the settings
 * came from), or the demo's when `demo` is set.
 * @throws when demo mode's simulators cannot listen on loopback.
 */
export async function startCore(options: CoreOptions): Promise<Core> {
  const { config, log } = options;
  let accounts: AccountConfig[] = enabledAccounts(config);
  let demo: Demo | undefined;
  if (options.demo) {
    log.info('starting demo mode');
    demo = await startDemo({
      log,
      intervalMs: options.demoIntervalMs,
      ...(options.demoScenario ? { scenario: options.demoScenario } : {}),
      ...(options.demoEventsPerSec !== undefined ? { eventsPerSec: options.demoEventsPerSec } : {}),
    });
    accounts = demo.accounts;
  }
  const secret = (ref: SecretRef, field: string): string => resolveSecret(ref, options.env, options.decrypt, field);
  const deskAccounts: DeskAccount[] = accounts.map((account) => {
    let connector: Connector;
    try {
      connector = createConnector(account, secret, { backoff: options.backoff, tuning: options.tuning?.[account.vendor] });
    } catch (error) {
      // A secret that is not there is the config's mistake: one line naming what to fix, no stack.
      if (error instanceof SecretError) log.error({ account: account.id, field: error.field, variable: error.variable }, `account "${account.id}" cannot start: ${error.message}`);
      else log.error({ account: account.id, err: error }, 'account cannot start');
      connector = unusableConnector((error as Error).message);
    }
    return { seed: accountSeed(account, demo !== undefined), connector };
  });
  const screenPops = accounts.flatMap((account): ScreenPopRule[] => (account.screenPop ? [{ accountId: account.id, url: account.screenPop.url, on: account.screenPop.on }] : []));

  const core = assembleCore({
    accounts: deskAccounts,
    config,
    log,
    setup: options.setup,
    settings: options.settings,
    demo,
    preferences: options.preferences,
    screenPops,
    history: options.history,
    automationStore: options.automationStore,
    secret,
    diagnostics: options.diagnostics,
    systemLanguages: options.systemLanguages,
  });
  await core.automation?.listen();
  return core;
}

/** What {@link assembleCore} puts together. */
export interface CoreParts {
  /** The accounts with their connectors, built (the bench builds its own). */
  accounts: readonly DeskAccount[];
  config: AppConfig;
  log: Logger;
  setup?: DeskSetup;
  settings?: SettingsStore;
  demo?: Demo;
  preferences?: DeskPreferences;
  /** The accounts' screen pop templates (from the config). */
  screenPops?: readonly ScreenPopRule[];
  /** Where the call history is kept (read at start, written as it changes, at most every 2 s). */
  history?: HistoryStore;
  /** Where the automation API keeps paired apps (when `automation.enabled`). */
  automationStore?: ClientDocument;
  /** Resolves a secret of the config (an administrator's API client token); `field` names it in the error. */
  secret?: (ref: SecretRef, field: string) => string;
  /** What the host adds to the diagnostics, and how it saves them. */
  diagnostics?: DiagnosticsHost | undefined;
  /** The OS's preferred languages (see {@link CoreOptions.systemLanguages}). */
  systemLanguages?: () => readonly string[];
}

/**
 * The diagnostics of a core: made from the recorder and what the host gives, listed for the agent,
 * saved as the host does (default: handed back for the page to download).
 */
function diagnosticsOf(recorder: DiagnosticsRecorder, parts: CoreParts): DiagnosticsControl {
  const host = parts.diagnostics ?? {};
  const entries = () =>
    diagnosticsEntries({
      recorder,
      config: parts.config,
      source: parts.setup?.source ?? 'the built-in defaults',
      versions: { ...host.versions, node: process.versions.node, os: `${type()} ${release()} ${arch()}` },
      logDir: host.logDir,
      crashDir: host.crashDir,
      managed: host.managed,
    });
  const save = host.save ?? (async (zip: Uint8Array, fileName: string): Promise<DiagnosticsSaved> => ({ kind: 'download', fileName, base64: Buffer.from(zip).toString('base64') }));
  return {
    list: () => diagnosticsListing(entries(), Date.now()),
    async save() {
      const now = Date.now();
      const files = entries();
      const saved = await save(zipDiagnostics(files, now), diagnosticsListing(files, now).fileName);
      parts.log.info({ files: files.length, saved: saved.kind, ...(saved.kind === 'saved' ? { path: saved.path } : {}) }, 'diagnostics made');
      return saved;
    },
  };
}

/**
 * The core around a set of accounts: the desk, the bridge hub, the alert policy; starts the
 * connectors. `startCore` builds the accounts from the config; the bench hands its own.
 */
export function assembleCore(parts: CoreParts): Core {
  const { config, log, demo } = parts;
  const history = parts.history && loadHistory(parts.history, log);
  const desk = new Desk({ accounts: parts.accounts, log, setup: parts.setup, preferences: parts.preferences, history });
  // A history file that could not be read nor set aside is never written over (issue 16, finding 4).
  const historyKeeper = parts.history && history?.keep ? keepHistory((listener) => desk.subscribe(listener), () => desk.state, parts.history, log) : undefined;
  // The automation API, when enabled, listens from `startCore` (it needs a port); it observes the desk from here on.
  const automation = config.automation.enabled
    ? new Automation({ desk, config: config.automation, log, store: parts.automationStore, secret: parts.secret ?? ((ref, field) => resolveSecret(ref, process.env, undefined, field)) })
    : undefined;
  const recorder = new DiagnosticsRecorder();
  const diagnostics = diagnosticsOf(recorder, parts);
  const settings = parts.settings ?? new ReadOnlySettings(config, 'the built-in defaults');
  const windowLocale = new WindowLocale(parts.systemLanguages);
  const language = new AgentLanguage(windowLocale, () => settings.view().settings.display.language);
  const hub = new BridgeHub(desk, log, settings, automation, diagnostics, windowLocale);
  // The connection timeline the diagnostics hold (issue 22): from the first state on.
  recorder.noteConnections(desk.state, undefined);
  desk.subscribe((state, previous) => recorder.noteConnections(state, previous));
  const toastListeners = new Set<(toast: Toast) => void>();
  const closeListeners = new Set<(id: string) => void>();
  /** Toasts raised whose call still rings or chat is still an invitation, by id. */
  const open = new Map<string, FocusTarget>();
  let memory: AlertMemory = new Set();
  desk.subscribe((state, previous, touched) => {
    // Toasts follow calls and chats alone (an account's do-not-disturb is read when one rings): a
    // queue or a colleague changing decides nothing, and the policy reads only what was touched.
    if (state.calls === previous.calls && state.chats === previous.chats) return;
    const decided = decideToasts(state, memory, config.display.toasts, touched, language.translator);
    if (decided.memory !== memory) recorder.noteAlerts(state, decided.toasts, config.display.toasts);
    // Something new to answer (a toast decided, shown or not): the windows get it on the next turn.
    if (decided.memory !== memory) hub.expedite();
    memory = decided.memory;
    for (const toast of decided.toasts) {
      open.set(toast.id, toast.target);
      for (const listener of toastListeners) listener(toast);
    }
    for (const id of toastsToClose(state, open)) {
      open.delete(id);
      recorder.noteToastClosed(id);
      for (const listener of closeListeners) listener(id);
    }
  });
  const popListeners = new Set<(pop: ScreenPop & { url: string }) => void>();
  wireScreenPops(desk, parts, (pop) => {
    for (const listener of popListeners) listener(pop);
  });
  desk.start();

  return {
    desk,
    hub,
    demo,
    ...(automation ? { automation } : {}),
    diagnostics,
    language,
    onToast(listener) {
      toastListeners.add(listener);
      return () => toastListeners.delete(listener);
    },
    onToastClosed(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    onScreenPop(listener) {
      popListeners.add(listener);
      return () => popListeners.delete(listener);
    },
    async stop() {
      await automation?.close();
      await desk.stop();
      historyKeeper?.close();
      hub.close();
      await demo?.stop();
    },
  };
}

/**
 * Screen pops (issue 11, point 5): when a call of an account with a template reaches its moment,
 * the pop is decided once ({@link ScreenPopper}), put on the desk for the call card ("Open in
 * CRM", or the quiet line saying why it was refused), logged when refused, and handed to `open`
 * when allowed and the agent's setting opens pops by themselves. Pops leave the desk with their call.
 */
function wireScreenPops(desk: Desk, parts: CoreParts, open: (pop: ScreenPop & { url: string }) => void): void {
  const { config, log } = parts;
  const popper = new ScreenPopper(parts.screenPops ?? [], config.screenPop.allowedHosts, new Date().toISOString(), (accountId, unknown) =>
    log.warn({ account: accountId, placeholders: unknown }, 'the screen pop template names placeholders a call did not have; they were left empty'),
  );
  if (!popper.active) return;
  const auto = config.display.screenPop === 'auto';
  desk.subscribe((state: DeskState, previous: DeskState) => {
    if (state.calls === previous.calls) return;
    const decided = popper.decide(state.calls);
    const before = state.screenPops ?? {};
    const pops: Record<string, ScreenPop> = {};
    let changed = decided.length > 0;
    for (const key in before) {
      if (state.calls[key]) pops[key] = before[key]!;
      else changed = true;
    }
    const toOpen: Array<ScreenPop & { url: string }> = [];
    for (const { call, outcome } of decided) {
      const pop: ScreenPop = { callKey: call.key, accountId: call.accountId, auto, at: new Date().toISOString() };
      if (outcome.ok) {
        pop.url = outcome.url;
        log.info({ account: call.accountId, call: call.id }, 'screen pop');
        if (auto) toOpen.push({ ...pop, url: outcome.url });
      } else {
        pop.refused = `Screen pop not opened: ${outcome.reason}.`;
        pop.refusedSaid = outcome.said;
        log.warn({ account: call.accountId, call: call.id, reason: outcome.reason }, 'screen pop refused');
      }
      pops[call.key] = pop;
    }
    if (changed) desk.apply({ type: 'screenpops.set', pops });
    for (const pop of toOpen) open(pop);
  });
}
