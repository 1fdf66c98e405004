/**
 * What the Electron shell's modules (`main/shell/*.ts`) are built from, and the one shape each has,
 * so a new one (updates, diagnostics, crash reports…) is a copy of an old one:
 *
 * - **One file per thing the app does on the desktop**, its docstring saying what it owns
 *   (the window, the tray, the toasts, the wire over IPC…).
 * - **`start<Thing>(electron, core, env, …)`** wires it once the core runs. When it started
 *   something that must end (listeners, timers, OS objects) it returns a {@link Stop}, or a small
 *   handle holding one. The shell (`main/shell.ts`) calls the stops in reverse order **after the
 *   core stopped**, right before Electron quits, so the tray and the toasts still follow the core's
 *   last changes (a ringing call's toast closes when its session ends).
 * - A module that must go quiet **the moment the agent quits** (tray clicks, a flashing icon) listens
 *   to the app's `before-quit` itself: the core is stopping from then on.
 * - The two that exist **before the core** (the window, which a second launch may ask for, and
 *   links, which macOS sends before `ready`) take `core: () => Core | undefined` instead: undefined
 *   until the core runs, and again once quitting began.
 * - Electron is reached only through the slices in `main/electron-api.ts`: a module needing more
 *   adds the slice there, and the typed fake (`test/support/electron-fake.ts`) must follow.
 */
import type { Logger } from '../log.js';

/** Where the built renderer, the built preload and the icons are. */
export interface ShellPaths {
  renderer: string;
  preload: string;
  assets: string;
}

/** What most modules need besides Electron and the core: the OS they run on, the log, the built files. */
export interface ShellEnv {
  platform: NodeJS.Platform;
  log: Logger;
  paths: ShellPaths;
}

/** Ends what a module started (listeners, timers, OS objects). Called once, after the core stopped. */
export type Stop = () => void;
