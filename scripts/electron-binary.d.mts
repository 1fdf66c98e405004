/** The Electron executable's path, if it is on this machine (never triggers a download). */
export function electronBinary(): string | undefined;
