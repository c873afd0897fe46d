/**
 * What the local Sellsy and Allo servers share (docs/testing.md): the fault injector
 * that makes a service misbehave on demand, the request pipeline that applies those faults around
 * a service's handler and logs every request, a tiny router, and a per-second request counter
 * for rate limits. A service module (sellsy.ts, allo.ts) brings its routes and error envelope.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

// ---------------------------------------------------------------------------------------------
// Faults

export interface Fault {
  /** Answer this status with the service's own error envelope; the handler does not run. */
  status?: number;
  /** The service's error code in that envelope (Allo's `code`, Sellsy's `context`). */
  code?: string;
  /**
   * Raw body sent as `application/json`, e.g. malformed JSON. With `status` it replaces the
   * error envelope; alone, the handler runs (its effects happen) and only its body is replaced.
   */
  body?: string;
  /** Adds `Retry-After` (and the envelope's retry field where the service has one); alone, a 429. */
  retryAfterS?: number;
  /** Waits this long before anything else: a slow answer. */
  delayMs?: number;
  /**
   * Close the socket without answering. `before`: the handler does not run. `after`: the handler
   * runs (an object is stored) and then the connection drops — the fault that catches duplicates.
   */
  drop?: 'before' | 'after';
  /** How many requests this fault hits; default 1, `Infinity` until `clear()`. */
  times?: number;
}

export interface FaultMatch {
  /** Any method when absent. */
  method?: string;
  /** The URL's path without the query: equal to a string, or matching a RegExp. */
  path: string | RegExp;
}

export class Faults {
  private rules: Array<{ match: FaultMatch; fault: Fault; left: number }> = [];

  inject(match: FaultMatch, fault: Fault): void {
    this.rules.push({ match, fault, left: fault.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first armed fault for this request, used up by one hit (internal: the pipeline calls it). */
  take(method: string, path: string): Fault | undefined {
    const rule = this.rules.find(({ match }) => matches(match, method, path));
    if (!rule) return undefined;
    rule.left -= 1;
    if (rule.left <= 0) this.rules = this.rules.filter((other) => other !== rule);
    return rule.fault;
  }
}

function matches(match: FaultMatch, method: string, path: string): boolean {
  if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (typeof match.path === 'string') return match.path === path;
  match.path.lastIndex = 0; // a /g or /y RegExp would otherwise remember the last hit
  return match.path.test(path);
}

// ---------------------------------------------------------------------------------------------
// Requests and replies

export interface LoggedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON, a form as an object of strings, raw text when neither parses, or undefined. */
  body: unknown;
  /** Lower-case names, as Node gives them. */
  headers: Record<string, string | undefined>;
}

export type ServiceRequest = LoggedRequest;

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is (set its content-type); anything else is sent as JSON. */
  body?: unknown;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
}

export function html(status: number, page: string): Reply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page };
}

export function redirect(location: string): Reply {
  return { status: 302, headers: { location } };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The reason phrase for a status, for default error messages. */
export function statusText(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

export interface ErrorSpec {
  status: number;
  code?: string;
  message?: string;
  retryAfterS?: number;
}

export interface Service {
  readonly faults: Faults;
  /** Every request received, faulted ones included (empty it with `requests.length = 0`). */
  readonly requests: LoggedRequest[];
  /** Answers a request: routing, auth, rate limits — everything but injected faults. */
  handle(req: ServiceRequest): Reply | Promise<Reply>;
  /** The service's error envelope, used for injected faults and unexpected exceptions. */
  errorReply(error: ErrorSpec, req: ServiceRequest): Reply;
  /** The service's clock, sent in each answer's `Date` header as a real server does. */
  now?: () => number;
}

/** The `request` listener of a service's `node:http` server: log, apply faults, handle, answer. */
export function serve(service: Service): (incoming: IncomingMessage, res: ServerResponse) => void {
  return (incoming, res) => {
    void answer(service, incoming, res).catch((error: unknown) => {
      console.error('local server: could not answer', error);
      incoming.socket.destroy();
    });
  };
}

async function answer(service: Service, incoming: IncomingMessage, res: ServerResponse): Promise<void> {
  const req = await readRequest(incoming);
  service.requests.push(req);
  const fault = service.faults.take(req.method, req.path);
  if (fault?.delayMs) await sleep(fault.delayMs, undefined, { ref: false });
  if (fault?.drop === 'before') return void incoming.socket.destroy();

  let reply: Reply;
  if (fault?.status !== undefined || fault?.retryAfterS !== undefined) {
    const error = { status: fault.status ?? 429, code: fault.code, retryAfterS: fault.retryAfterS };
    reply = service.errorReply(error, req);
    if (fault.retryAfterS !== undefined) {
      reply = { ...reply, headers: { ...reply.headers, 'retry-after': String(fault.retryAfterS) } };
    }
  } else {
    try {
      reply = await service.handle(req);
    } catch (error) {
      // A bug in a handler should read as a 500 in the test, with the stack on stderr.
      console.error('local server: handler failed', error);
      reply = service.errorReply({ status: 500, message: String(error) }, req);
    }
  }
  if (fault?.body !== undefined) {
    reply = { ...reply, headers: { ...reply.headers, 'content-type': 'application/json; charset=utf-8' }, body: fault.body };
  }
  if (fault?.drop === 'after') return void incoming.socket.destroy();
  // The server may have been closed (sockets destroyed) while a slow answer was waiting.
  if (res.destroyed) return;
  const payload = typeof reply.body === 'string' || reply.body === undefined ? reply.body : JSON.stringify(reply.body);
  if (service.now) res.setHeader('date', new Date(service.now()).toUTCString());
  res.writeHead(reply.status, reply.headers).end(payload);
}

async function readRequest(incoming: IncomingMessage): Promise<ServiceRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: (incoming.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    body: parseBody(Buffer.concat(chunks).toString('utf8'), headers['content-type'] ?? ''),
    headers,
  };
}

function parseBody(text: string, contentType: string): unknown {
  if (text === '') return undefined;
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // kept raw so a test can see what a client sent that was not JSON
  }
}

/** A request body as a record of its fields, or an empty one when it is not an object. */
export function fields(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

// ---------------------------------------------------------------------------------------------
// Router

export interface RouteRequest extends ServiceRequest {
  /** `:name` segments of the route, URI-decoded. */
  params: Record<string, string>;
}

export type RouteHandler<Ctx> = (req: RouteRequest, ctx: Ctx) => Reply | Promise<Reply>;

/** Method + path patterns such as `/phone-calls/:id`; `Ctx` is what the service's auth found. */
export class Router<Ctx> {
  private routes: Array<{ method: string; pattern: RegExp; names: string[]; handler: RouteHandler<Ctx> }> = [];

  add(method: string, path: string, handler: RouteHandler<Ctx>): this {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  /** The handler for this method and path with its parameters bound, or undefined (a 404). */
  match(method: string, path: string): ((req: ServiceRequest, ctx: Ctx) => Reply | Promise<Reply>) | undefined {
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase()) continue;
      const found = route.pattern.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1] ?? '');
      });
      return (req, ctx) => route.handler({ ...req, params }, ctx);
    }
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Rate limits

/**
 * Counts requests per key in fixed one-second windows aligned on the clock — the window that
 * Allo's `X-RateLimit-Reset` (a Unix time) and Sellsy's `X-Quota-Remaining-By-Second` imply.
 */
export class PerSecondCounter {
  private second = Number.NaN;
  private counts = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Counts one request for `key`; returns the count in this second and when the window ends. */
  hit(key: string): { count: number; resetAtMs: number } {
    const second = Math.floor(this.now() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.counts.clear();
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return { count, resetAtMs: (second + 1) * 1000 };
  }

  /** Whole seconds a client should wait before the window resets (at least 1). */
  retryAfterS(resetAtMs: number): number {
    return Math.max(1, Math.ceil((resetAtMs - this.now()) / 1000));
  }
}
