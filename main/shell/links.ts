/**
 * `tel:`/`callto:` links. The app registers as their handler with the OS; a link (macOS
 * `open-url`, even before the app is ready; a second launch's command line or the first launch's,
 * on Windows and Linux) becomes the desk's pending dial and brings the window to the front, where
 * the agent confirms it: a link never dials by itself. A second launch without a link shows the
 * window.
 */
import type { Core } from '../app.js';
import type { ShellElectron } from '../electron-api.js';
import type { Logger } from '../log.js';
import type { DeskWindow } from './window.js';

/** The link schemes the app handles (registered with the OS, and in `electron-builder.yml` for macOS). */
export const DIAL_SCHEMES = ['tel', 'callto'] as const;

/** The first `tel:`/`callto:` link in a command line (Windows and Linux hand links over as an argument). */
export function dialLinkIn(argv: readonly string[]): string | undefined {
  return argv.find((arg) => /^(tel|callto):/i.test(arg));
}

/** What {@link startDialLinks} needs besides Electron and the core. */
export interface DialLinksOptions {
  /** This launch's command line (its link is opened once the core runs). */
  argv: readonly string[];
  log: Logger;
  window: DeskWindow;
  /**
   * Set when Electron runs the app from source (`process.defaultApp`): the OS must then launch
   * `electron <script>` for a `tel:` link, so the protocol is registered with that argv form.
   */
  devLaunch?: { execPath: string; script: string };
}

/** The links' handle: the shell says when the core and the window are up. */
export interface DialLinks {
  /** Registers the schemes with the OS and opens the link this launch came with (or macOS sent early). */
  ready(): void;
}

/**
 * Listens for links from the start (before `ready`: macOS sends `open-url` that early). A link that
 * arrives while `core()` is undefined waits for {@link DialLinks.ready}.
 */
export function startDialLinks(electron: ShellElectron, core: () => Core | undefined, options: DialLinksOptions): DialLinks {
  const { app } = electron;
  /** A link that arrived before the core ran. */
  let early: string | undefined;

  /** A link: the desk's pending dial, and the window in front to confirm it. */
  function open(link: string): void {
    const running = core();
    if (!running) {
      early = link;
      return;
    }
    running.desk.openDialLink(link);
    options.window.show();
  }

  app.on('second-instance', (_event, argv) => {
    const link = dialLinkIn(argv);
    if (link) open(link);
    else options.window.show();
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    open(url);
  });

  return {
    ready() {
      for (const scheme of DIAL_SCHEMES) {
        const registered = options.devLaunch
          ? app.setAsDefaultProtocolClient(scheme, options.devLaunch.execPath, [options.devLaunch.script])
          : app.setAsDefaultProtocolClient(scheme);
        if (!registered) options.log.warn({ scheme }, 'could not register as the handler of the links');
      }
      const link = early ?? dialLinkIn(options.argv);
      early = undefined;
      if (link) open(link);
    },
  };
}
