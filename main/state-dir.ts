/**
 * Where the web host keeps what must outlive a restart (the call history, the session key): beside
 * the config file when it runs with one (`--config PATH`: the "a file beside the config"),
 * else the user's state directory (`$XDG_STATE_HOME/agent-companion`, by default
 * `~/.local/state/agent-companion`, as the XDG Base Directory specification places state). The
 * Electron app keeps the same things in its own `userData` folder instead.
 */
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * The web host's state directory (not created here).
 * @param configPath the config file the settings came from, if any.
 * @param env where `XDG_STATE_HOME` and `HOME` are read.
 * @returns an absolute path.
 */
export function webStateDir(configPath: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (configPath) return dirname(resolve(configPath));
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(env.HOME ?? homedir(), '.local', 'state');
  return join(base, 'agent-companion');
}
