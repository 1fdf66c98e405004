/**
 * Where the web host keeps what must outlive a restart (the session key, the call history, the
 * preferences): beside the config file when it runs with one (`--config PATH`) and that folder is
 * writable, else the user's state directory (`$XDG_STATE_HOME/agent-companion`, by default
 * `~/.local/state/agent-companion`, as the XDG Base Directory specification places state). A config
 * an administrator keeps read-only (`/etc/agent-companion.json`) must not stop the web host of a
 * user who cannot write there (issue 16, finding 3). The Electron app keeps the same things in its
 * own `userData` folder instead.
 */
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { AgentMessage } from '../common/i18n.js';

/** The web host's state directory, and one line saying why it is there (for the person starting it). */
export interface WebStateDir {
  /** An absolute path (not created here). */
  path: string;
  /** E.g. "The config file's folder /etc is not writable, so …"; names the folder and what is kept there (English, as logged). */
  note: string;
  /** {@link WebStateDir.note} as a code with parameters, for the terminal in the agent's language. */
  message: AgentMessage;
}

/** What is kept there, in words. */
const KEPT = 'the session key, call history and preferences';

/**
 * Whether this process may create files in `dir` (`access(2)` with `W_OK`: false for a folder
 * that does not exist). Note that for root permissions do not bind: only a read-only file system says no.
 */
export function isWritableDir(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The XDG state directory for the app: `$XDG_STATE_HOME/agent-companion` (an absolute one only, as the spec says), else `~/.local/state/agent-companion`. */
export function xdgStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(env.HOME ?? homedir(), '.local', 'state');
  return join(base, 'agent-companion');
}

/**
 * The web host's state directory.
 * @param configPath the config file the settings came from, if any.
 * @param env where `XDG_STATE_HOME` and `HOME` are read.
 * @param writable whether a folder can be written (default {@link isWritableDir}; tests inject one
 *   where permissions do not bind, as for root).
 */
export function webStateDir(configPath: string | undefined, env: NodeJS.ProcessEnv = process.env, writable: (dir: string) => boolean = isWritableDir): WebStateDir {
  const xdg = xdgStateDir(env);
  if (!configPath) return { path: xdg, note: `Keeping ${KEPT} in ${xdg}.`, message: { key: 'web.state.xdg', values: { path: xdg } } };
  const beside = dirname(resolve(configPath));
  if (writable(beside)) return { path: beside, note: `Keeping ${KEPT} beside the config file, in ${beside}.`, message: { key: 'web.state.beside', values: { path: beside } } };
  return {
    path: xdg,
    note: `The config file's folder ${beside} is not writable, so ${KEPT} are kept in ${xdg}.`,
    message: { key: 'web.state.not-writable', values: { folder: beside, path: xdg } },
  };
}
