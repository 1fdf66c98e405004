/**
 * Canary secrets: unique values given to every secret in a test, and the search for them in every
 * form they could take on the way to a frame, a log line or a file.
 */
import { randomBytes } from 'node:crypto';

/** A unique secret value, easy to find and impossible to meet by chance. */
export function canary(name: string): string {
  return `canary-${name}-${randomBytes(6).toString('hex')}`;
}

/** Every text form a secret can take on its way to a frame, a log line or a file. */
export function canaryForms(secret: string, users: readonly string[] = []): string[] {
  const encodings = (text: string): string[] => [
    text,
    Buffer.from(text).toString('base64'),
    Buffer.from(text).toString('base64url'),
    Buffer.from(text).toString('hex'),
    encodeURIComponent(text),
  ];
  return [...encodings(secret), ...users.flatMap((user) => encodings(`${user}:${secret}`))];
}

/** The canaries found in `text`, by name. */
export function leaks(text: string, secrets: ReadonlyMap<string, string[]>): string[] {
  return [...secrets].filter(([, forms]) => forms.some((form) => text.includes(form))).map(([name]) => name);
}

