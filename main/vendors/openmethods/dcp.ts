/**
 * The Direct Client Protocol client: requests out, responses correlated by request id (in any
 * order), events handed on.
 *
 * [C] (VENDOR-NOTES.md, OpenMethods): DCP messages are JSON with a `messageType` among
 * `coreRequest|coreResponse|coreEvent|coreError|serviceRequest|serviceResponse|serviceEvent|
 * serviceError|resourceRequest|resourceResponse|resourceEvent|resourceError`; requests carry a
 * request id the response repeats; the client binds services and resources itself.
 *
 * [I] (the wire contract): `coreRequest {requestId, requestType, data}`, `serviceRequest
 * {requestId, serviceId, command, data}`, `resourceRequest {requestId, resourceId, command, target,
 * data}`; responses repeat `requestId` and carry `result` (`success` / `failure`, `confirm` for
 * `prepareSession`), `data`, `failure: {code, message, context}`. A `*Error` message naming a
 * pending request id fails that request; one naming none is handed on as an event.
 */
import { randomUUID } from 'node:crypto';
import type { DeskLogger as Logger } from '../../desk/port.js';
import { dcpMessageSchema, problemOf, type DcpErrorMessage, type DcpResponse, type Failure } from './schema.js';

/** The server answered a request with `result: "failure"` (or a `*Error` naming it). */
export class DcpFailure extends Error {
  override name = 'DcpFailure';
  /** The failure's `code`, when it gave one (e.g. `resource.bound`, [I]). */
  readonly code: string | undefined;
  constructor(
    /** What was asked, in words (`bindResource`, `session.changeState`). */
    readonly what: string,
    failure: Failure | null | undefined,
  ) {
    super(failure?.message?.trim() || `OpenMethods refused ${what}${failure?.code ? ` (${failure.code})` : ''}`);
    this.code = failure?.code ?? undefined;
  }
}

/** A request got no answer in time. */
export class DcpTimeout extends Error {
  override name = 'DcpTimeout';
}

/** The connection ended while requests were waiting. */
export class DcpClosed extends Error {
  override name = 'DcpClosed';
}

/** An unsolicited message from the server. */
export type DcpEvent =
  | { kind: 'core'; name: string; data: unknown }
  | { kind: 'service'; serviceId: string; name: string; data: unknown }
  | { kind: 'resource'; resourceId: string; name: string; target?: string; data: unknown }
  | { kind: 'error'; scope: 'core' | 'service' | 'resource'; serviceId?: string; resourceId?: string; failure: Failure };

/** Options of {@link DcpClient}. */
export interface DcpClientOptions {
  /** Writes one DCP message on the transport. */
  send(message: Record<string, unknown>): void;
  log: Logger;
  /** Default time each request may take, ms. */
  timeoutMs: number;
  /** Unsolicited messages. */
  onEvent(event: DcpEvent): void;
  /** Request ids (default: random UUIDs). */
  newRequestId?: () => string;
}

/** Options of one request. */
export interface RequestOptions {
  /** Time it may take, ms (default: the client's). */
  timeoutMs?: number;
  /**
   * Called with the successful answer's `data` as the answer is read, before any message after it
   * in the stream (a snapshot such as `session.getState` must be folded before the events that
   * follow it; a promise's continuation would run after them). An exception fails the request.
   */
  inOrder?(data: unknown): void;
}

interface Pending {
  what: string;
  inOrder?: (response: DcpResponse) => void;
  resolve(response: DcpResponse): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Whether a failure came as a `*Error` message (no `result`). */
function failureOf(message: DcpErrorMessage): Failure {
  return message.failure ?? { code: message.code, message: message.message };
}

/** One DCP conversation over one transport connection. */
export class DcpClient {
  private readonly pending = new Map<string, Pending>();
  private closedWith: Error | undefined;
  private readonly newId: () => string;

  constructor(private readonly options: DcpClientOptions) {
    this.newId = options.newRequestId ?? randomUUID;
  }

  /** Requests waiting for their answer. */
  get waiting(): number {
    return this.pending.size;
  }

  /**
   * A core request (`getNetworkServices`, `bindService`, `unbindService`, `bindResource`, `unbindResource`).
   * @returns the response `data` of a success.
   * @throws {DcpFailure} on `result: "failure"`; {@link DcpTimeout}; {@link DcpClosed}.
   */
  async core(requestType: string, data: Record<string, unknown> = {}, options: RequestOptions = {}): Promise<unknown> {
    const response = await this.request(requestType, { messageType: 'coreRequest', requestType, data }, options);
    return expectSuccess(requestType, response).data;
  }

  /**
   * A service request (`prepareSession`, `getCapabilities`, `report.*`).
   * @returns the whole response, whatever its `result` (`prepareSession` answers `confirm`): the
   *   caller reads it with the document's schema.
   * @throws {DcpFailure} only for a `*Error` message; {@link DcpTimeout}; {@link DcpClosed}.
   */
  service(serviceId: string, command: string, data: Record<string, unknown>, options: Pick<RequestOptions, 'timeoutMs'> = {}): Promise<DcpResponse> {
    return this.request(command, { messageType: 'serviceRequest', serviceId, command, data }, options);
  }

  /**
   * A resource request (`session.*`, `conversation.*`) to `target` (a dotted id path).
   * @returns the response `data` of a success.
   * @throws {DcpFailure} on `result: "failure"`; {@link DcpTimeout}; {@link DcpClosed}.
   */
  async resource(resourceId: string, command: string, target: string, data: Record<string, unknown> = {}, options: RequestOptions = {}): Promise<unknown> {
    const response = await this.request(command, { messageType: 'resourceRequest', resourceId, command, target, data }, options);
    return expectSuccess(command, response).data;
  }

  /** Takes one DCP message body from the transport: a malformed one is logged and dropped. */
  receive(raw: unknown): void {
    const parsed = dcpMessageSchema.safeParse(raw);
    if (!parsed.success) {
      // Only a text is read (String() of a messageType nested past the stack threw, found by fuzzing).
      const named = raw && typeof raw === 'object' ? (raw as { messageType?: unknown }).messageType : undefined;
      const messageType = typeof named === 'string' ? named.slice(0, 40) : raw && typeof raw === 'object' ? typeof named : typeof raw;
      this.options.log.warn({ messageType, problem: problemOf(parsed.error) }, 'OpenMethods: dropped a malformed DCP message');
      return;
    }
    const message = parsed.data;
    switch (message.messageType) {
      case 'coreResponse':
      case 'serviceResponse':
      case 'resourceResponse': {
        const waiting = this.pending.get(message.requestId);
        if (!waiting) {
          this.options.log.debug({ requestId: message.requestId, messageType: message.messageType }, 'OpenMethods answered a request nobody waits for; dropped');
          return;
        }
        const settled = this.settle(message.requestId);
        try {
          settled.inOrder?.(message);
        } catch (error) {
          settled.reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        settled.resolve(message);
        return;
      }
      case 'coreError':
      case 'serviceError':
      case 'resourceError': {
        const failure = failureOf(message);
        const waiting = message.requestId !== undefined ? this.pending.get(message.requestId) : undefined;
        if (waiting && message.requestId !== undefined) {
          this.settle(message.requestId).reject(new DcpFailure(waiting.what, failure));
          return;
        }
        const scope = message.messageType === 'coreError' ? 'core' : message.messageType === 'serviceError' ? 'service' : 'resource';
        this.options.onEvent({ kind: 'error', scope, serviceId: message.serviceId, resourceId: message.resourceId, failure });
        return;
      }
      case 'coreEvent':
        this.options.onEvent({ kind: 'core', name: message.name, data: message.data });
        return;
      case 'serviceEvent':
        this.options.onEvent({ kind: 'service', serviceId: message.serviceId, name: message.name, data: message.data });
        return;
      case 'resourceEvent':
        this.options.onEvent({ kind: 'resource', resourceId: message.resourceId, name: message.name, target: message.target, data: message.data });
        return;
      default:
        this.options.log.debug({ messageType: message.messageType }, 'OpenMethods sent a request to the client; ignored');
    }
  }

  /** Fails every waiting request with `error` and refuses new ones (the connection ended). */
  close(error: Error = new DcpClosed('the connection to OpenMethods closed')): void {
    this.closedWith ??= error;
    for (const id of [...this.pending.keys()]) this.settle(id).reject(new DcpClosed(`${error.message}`, { cause: error }));
  }

  private request(what: string, message: Record<string, unknown>, options: RequestOptions): Promise<DcpResponse> {
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const inOrder = options.inOrder;
    if (this.closedWith) return Promise.reject(new DcpClosed(this.closedWith.message, { cause: this.closedWith }));
    const requestId = this.newId();
    return new Promise<DcpResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new DcpTimeout(`OpenMethods did not answer ${what} within ${Math.round(timeoutMs / 100) / 10} s`));
      }, timeoutMs);
      this.pending.set(requestId, {
        what,
        resolve,
        reject,
        timer,
        ...(inOrder ? { inOrder: (response: DcpResponse) => response.result === 'success' && inOrder(response.data) } : {}),
      });
      try {
        this.options.send({ ...message, requestId });
      } catch (error) {
        this.settle(requestId).reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private settle(requestId: string): Pending {
    const waiting = this.pending.get(requestId)!;
    clearTimeout(waiting.timer);
    this.pending.delete(requestId);
    return waiting;
  }
}

/**
 * The response if it is a success.
 * @throws {DcpFailure} with the response's `failure` otherwise.
 */
export function expectSuccess(what: string, response: DcpResponse): DcpResponse {
  if (response.result === 'success') return response;
  throw new DcpFailure(what, response.failure ?? { message: `OpenMethods answered ${what} with "${response.result}"` });
}
