/** pino-roll ships no declarations: the options `main/log-files.ts` uses (its README, "Options"). */
declare module 'pino-roll' {
  interface PinoRollOptions {
    file: string;
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    dateFormat?: string;
    mkdir?: boolean;
    symlink?: boolean;
    sync?: boolean;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
  }
  /** Opens the first file and resolves to the SonicBoom stream that rolls. */
  export default function pinoRoll(options: PinoRollOptions): Promise<NodeJS.WritableStream>;
}
