/**
 * Who the simulator lets in (VENDOR-NOTES, Enreach section, [C]): REST calls carry HTTP Basic
 * with the login email and an API SecretKey; `authuser` trades the password for the SecretKey; the
 * RTE hub takes a JWT issued by `token/{userId}/rte/` and checks it only when a connection opens
 * (document, "Client authentication").
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { basicCredentials } from '../../kit/simulator.js';

/** The simulator's credentials and tokens. */
export interface SimAuth {
  readonly user: string;
  /** The SecretKey the simulator was started with. */
  readonly secretKey: string;
  readonly password: string;
  /** Also accept `key` as a SecretKey from now on (an admin fixed the account). */
  acceptSecretKey(key: string): void;
  /** Whether a request carries Basic auth with the user and an accepted SecretKey. */
  basicOk(req: IncomingMessage): boolean;
  /** Whether `who` and `password` are the user's (`authuser`). */
  passwordOk(who: string, password: unknown): boolean;
  /** Issues a fresh RTE token (a JWT-shaped string with `sub` and an `exp` an hour away). */
  issueToken(userId: string): string;
  /** Whether the hub accepts `token` for a new connection now. */
  tokenAccepted(token: string | undefined): boolean;
  /** While on, every token is refused at connect time. */
  rejectTokens(on: boolean): void;
  /** Every token issued so far stops being accepted (live connections stay). */
  expireTokens(): void;
  /** One token stops being accepted. */
  refuseToken(token: string): void;
  /** The user's credentials are revoked: no SecretKey or password is accepted, no token issued so far either. */
  revoke(): void;
  /** Tokens issued so far. */
  readonly tokensIssued: number;
}

/** Credentials for `user`: the given SecretKey and password, or random ones. */
export function createAuth(user: string, secretKey = `sk-${randomBytes(12).toString('hex')}`, password = `pw-${randomBytes(8).toString('hex')}`): SimAuth {
  const keys = new Set([secretKey]);
  const tokens = new Map<string, boolean>(); // token → still accepted
  let rejectAll = false;
  let revoked = false;
  let issued = 0;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return {
    user,
    secretKey,
    password,
    acceptSecretKey: (key) => void keys.add(key),
    basicOk(req) {
      const credentials = basicCredentials(req);
      return credentials !== undefined && same(credentials.user, user) && keys.has(credentials.password);
    },
    passwordOk: (who, given) => !revoked && same(who, user) && given === password,
    issueToken(userId) {
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const header = b64({ alg: 'HS256', typ: 'JWT' });
      const claims = b64({ sub: userId, exp: Math.floor(Date.now() / 1000) + 3600 });
      const token = `${header}.${claims}.${randomBytes(16).toString('base64url')}`;
      tokens.set(token, true);
      issued += 1;
      return token;
    },
    tokenAccepted: (token) => token !== undefined && !rejectAll && tokens.get(token) === true,
    rejectTokens(on) {
      rejectAll = on;
    },
    expireTokens() {
      for (const token of tokens.keys()) tokens.set(token, false);
    },
    refuseToken(token) {
      if (tokens.has(token)) tokens.set(token, false);
    },
    revoke() {
      revoked = true;
      keys.clear();
      for (const token of tokens.keys()) tokens.set(token, false);
    },
    get tokensIssued() {
      return issued;
    },
  };
}
