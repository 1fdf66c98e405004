/**
 * A plain HTTP client for the automation API in tests: node:http, so a test sets any header a
 * browser or an attacker could (`Host`, `Origin`, `Authorization`) and reads every answer as it is;
 * and an SSE reader that collects the events of a stream.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** One answer. */
export interface ApiAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body as JSON (`undefined` when empty or not JSON). */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test answers are read freely
}

export interface ApiRequest {
  method?: string;
  token?: string;
  origin?: string;
  /** The Host header; default `127.0.0.1:<port>`. */
  host?: string;
  /** A JSON body (or raw text with `raw`). */
  body?: unknown;
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Sends one request to `127.0.0.1:<port><path>`. */
export function apiRequest(port: number, path: string, options: ApiRequest = {}): Promise<ApiAnswer> {
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = { Host: options.host ?? `127.0.0.1:${port}`, ...options.headers };
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  if (options.origin !== undefined) headers.Origin = options.origin;
  if (body !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One SSE message as a client reads it. */
export interface SseMessage {
  id?: string;
  event: string;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the event's JSON
}

/** An open event stream: what arrived so far, whether it ended, and how to close it. */
export interface EventStream {
  status: number;
  headers: IncomingHttpHeaders;
  messages: SseMessage[];
  ended: () => boolean;
  close(): void;
}

/** Opens `GET /api/v1/events` and parses what arrives (`id:`, `event:`, `data:` lines; comments skipped). */
export function openEvents(port: number, token: string, options: { lastEventId?: string; origin?: string } = {}): Promise<EventStream> {
  const headers: Record<string, string> = { Host: `127.0.0.1:${port}`, Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
  if (options.lastEventId) headers['Last-Event-ID'] = options.lastEventId;
  if (options.origin) headers.Origin = options.origin;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/events', headers, setHost: false }, (res) => {
      const messages: SseMessage[] = [];
      let ended = false;
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const message: Partial<SseMessage> & { lines: string[] } = { lines: [] };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') message.id = value;
            else if (field === 'event') message.event = value;
            else if (field === 'data') message.lines.push(value);
          }
          if (message.lines.length) messages.push({ ...(message.id !== undefined ? { id: message.id } : {}), event: message.event ?? 'message', data: JSON.parse(message.lines.join('\n')) });
        }
      });
      res.on('end', () => (ended = true));
      res.on('close', () => (ended = true));
      resolve({ status: res.statusCode ?? 0, headers: res.headers, messages, ended: () => ended, close: () => req.destroy() });
    });
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
    req.end();
  });
}
