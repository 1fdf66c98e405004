/**
 * Monitoring after every (re)connection: the link remembers nothing (contract [I]), so each new
 * session asks again for the agent's and the colleagues' users (`startMonitoringUsers`) and for the
 * watched terminals (`startMonitoringTerminals`), **at most 500 terminals per request** (document,
 * "Start Monitoring Terminals": "Specify up to 500 terminals to monitor. Submit multiple requests to
 * monitor more than 500 terminals.").
 *
 * A response with `status: "failure"` does not undo the rest: "errorMessage — Error detail in case
 * monitoring any one of the terminals fails" (document; VENDOR-NOTES [C]: partial success is
 * possible). The terminal (or user) the message names becomes a subscription issue the agent can
 * read on the account; the others stay monitored. A message that names none blames the request's
 * whole batch, since we cannot tell which failed.
 */
import type { SubscriptionIssue } from '../../../common/model.js';
import type { DeskLogger as Logger } from '../../desk/port.js';
import { terminalId, type ThreecTerminal } from './config.js';
import { LinkTimeoutError, type LinkSession } from './link.js';
import type { Watch } from './normalize.js';
import { MAX_TERMINALS_PER_REQUEST } from './schema.js';

/** Users per `startMonitoringUsers` request: the document sets no limit; we keep the terminals' one [I]. */
export const MAX_USERS_PER_REQUEST = MAX_TERMINALS_PER_REQUEST;

/** One terminal to monitor and why. */
export interface PlannedTerminal {
  terminal: ThreecTerminal;
  /** The agent's own (its calls are the agent's), or a colleague's busy lamp (`owner`). */
  owner?: string;
}

/** What one session monitors. */
export interface MonitorPlan {
  /** The agent first, then the colleagues. */
  users: string[];
  /** The agent's terminals first, then the colleagues'. */
  terminals: PlannedTerminal[];
}

/** The monitoring plan of a watch: each user and terminal once. */
export function planOf(watch: Watch): MonitorPlan {
  const seen = new Set<string>();
  const terminals: PlannedTerminal[] = [];
  for (const terminal of watch.ownTerminals) {
    if (!seen.has(terminalId(terminal))) terminals.push({ terminal });
    seen.add(terminalId(terminal));
  }
  for (const { username, terminal } of watch.colleagueTerminals) {
    if (!seen.has(terminalId(terminal))) terminals.push({ terminal, owner: username });
    seen.add(terminalId(terminal));
  }
  return { users: [watch.me, ...watch.colleagues], terminals };
}

/**
 * Splits a list into requests of at most `size` items, in order (1,201 terminals → 500, 500, 201).
 * @throws {RangeError} when `size` is not a positive integer.
 */
export function batches<T>(items: readonly T[], size: number = MAX_TERMINALS_PER_REQUEST): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The items an `errorMessage` names: those whose name appears in it as a whole word (so `100` is not
 * found inside `1001`, nor `bob@corp` inside `bob@corp.example`; a sentence's full stop may follow),
 * compared without case.
 */
export function namedIn<T>(errorMessage: string, items: readonly T[], nameOf: (item: T) => string): T[] {
  return items.filter((item) => {
    const name = nameOf(item);
    return name !== '' && new RegExp(`(?<![\\w@.+-])${escapeRegExp(name)}(?![\\w@+-]|\\.\\w)`, 'i').test(errorMessage);
  });
}

const terminalName = (t: ThreecTerminal): string => `${t.addressvalue} (${t.addresstype})`;

/** The issues of one failed terminal request. */
export function terminalIssues(errorMessage: string | undefined, batch: readonly PlannedTerminal[], batchNo: number, batchCount: number): SubscriptionIssue[] {
  const message = errorMessage?.trim() || '3C refused to monitor these terminals (no detail given)';
  const named = errorMessage ? namedIn(errorMessage, batch, (p) => p.terminal.addressvalue) : [];
  if (named.length > 0) {
    return named.map((p) => ({
      entity: `terminal ${terminalName(p.terminal)}`,
      topic: p.owner ? `busy lamp of ${p.owner}` : 'your calls',
      message,
    }));
  }
  const first = batch[0]?.terminal;
  const last = batch.at(-1)?.terminal;
  const range = first && last && first !== last ? `${first.addressvalue} … ${last.addressvalue}` : (first?.addressvalue ?? '');
  return [
    {
      entity: `terminals ${range} (${batch.length}${batchCount > 1 ? `, request ${batchNo} of ${batchCount}` : ''})`,
      topic: 'calls',
      message: `${message} — 3C did not say which terminal failed; the others may be monitored`,
    },
  ];
}

/** The issues of one failed user request. */
export function userIssues(errorMessage: string | undefined, batch: readonly string[], me: string): SubscriptionIssue[] {
  const message = errorMessage?.trim() || '3C refused to monitor these users (no detail given)';
  const named = errorMessage ? namedIn(errorMessage, batch, (u) => u) : [];
  if (named.length > 0) return named.map((u) => ({ entity: u === me ? `your user ${u}` : `colleague ${u}`, topic: 'presence', message }));
  return [{ entity: `${batch.length} user${batch.length === 1 ? '' : 's'}`, topic: 'presence', message: `${message} — 3C did not say which user failed` }];
}

/**
 * Sends the plan's monitoring requests, one after another, and collects what failed.
 * @returns the subscription issues (empty when everything is monitored).
 * @throws {LinkError} when the session closes meanwhile (the connection attempt fails and is retried).
 */
export async function startMonitoring(link: Pick<LinkSession, 'command'>, plan: MonitorPlan, me: string, log: Logger): Promise<SubscriptionIssue[]> {
  const issues: SubscriptionIssue[] = [];
  const userBatches = batches(plan.users, MAX_USERS_PER_REQUEST);
  for (const batch of userBatches) {
    try {
      const response = await link.command('startMonitoringUsers', { users: batch.map((username) => ({ username })) });
      if (response.status === 'failure') issues.push(...userIssues(response.errorMessage, batch, me));
    } catch (error) {
      if (!(error instanceof LinkTimeoutError)) throw error;
      issues.push({ entity: `${batch.length} user${batch.length === 1 ? '' : 's'}`, topic: 'presence', message: error.message });
    }
  }
  const terminalBatches = batches(plan.terminals, MAX_TERMINALS_PER_REQUEST);
  for (const [i, batch] of terminalBatches.entries()) {
    try {
      const response = await link.command('startMonitoringTerminals', {
        terminals: batch.map(({ terminal }) => ({ addressvalue: terminal.addressvalue, addresstype: terminal.addresstype })),
      });
      if (response.status === 'failure') issues.push(...terminalIssues(response.errorMessage, batch, i + 1, terminalBatches.length));
    } catch (error) {
      if (!(error instanceof LinkTimeoutError)) throw error;
      issues.push(...terminalIssues(error.message, batch, i + 1, terminalBatches.length).map((issue) => ({ ...issue, message: error.message })));
    }
  }
  if (issues.length > 0) log.warn({ issues }, '3C refused to monitor some users or terminals; the rest are monitored');
  return issues;
}
