import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { authorize } from './authorize';
import type { Dialect } from './dialects';
import type { EstateMember, ServiceName } from './estate-members';
import type { FaultState } from './faults';
import type { GatewayTrust } from './gateway-trust';
import { HttpProblem, createRouter, json, parseJsonBody, type Reply, type Route } from './http-kit';
import type { Recorder } from './recorder';

/** What makes one member of the estate: its routes and dialect; the five services add faults and a recorder. */
export interface ServiceDefinition {
  readonly name: EstateMember;
  readonly dialect: Dialect;
  readonly routes: readonly Route[];
  readonly faults?: FaultState;
  readonly recorder?: Recorder;
  /** The gateways whose identity token the service requires (see `authorize`); absent or empty: open. */
  readonly trust?: GatewayTrust;
}

const BODY_LIMIT_BYTES = 1024 * 1024;
const HOST = '127.0.0.1';

/**
 * One `node:http` listener on 127.0.0.1 (keep-alive on) that can be stopped — listener and every open socket, so
 * connections are refused — and started again on the same port. In-flight requests (latency, hang) are abandoned.
 */
export class ServiceHost {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly inFlight = new Set<AbortController>();
  private readonly route: ReturnType<typeof createRouter>;

  constructor(
    private readonly def: ServiceDefinition,
    private boundPort: number,
  ) {
    this.route = createRouter([
      { method: 'GET', path: '/health', handler: () => json({ status: 'ok' }) },
      ...def.routes,
    ]);
  }

  get url(): string {
    return `http://${HOST}:${this.boundPort}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer({ keepAlive: true }, (req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 10_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: this.boundPort, host: HOST }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (server.address() as { port: number }).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const controller of this.inFlight) controller.abort();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    res.once('close', () => {
      controller.abort();
      this.inFlight.delete(controller);
    });
    let reply: Reply | undefined;
    try {
      reply = await this.answer(req, controller.signal);
    } catch (error) {
      reply =
        error instanceof HttpProblem
          ? this.def.dialect.problem(error.status, error.detail)
          : this.def.dialect.problem(500, 'unexpected error');
    }
    if (reply && !controller.signal.aborted && !res.headersSent) write(res, reply);
  }

  /** The pipeline: body → record → authorize → demo knob → fault → route. `undefined` = never answer. */
  private async answer(req: IncomingMessage, signal: AbortSignal): Promise<Reply | undefined> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    const { name, faults, recorder } = this.def;
    recorder?.record({
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: { ...req.headers },
      body,
      at: Date.now(),
    });
    if (name !== 'identity' && !(await authorize(this.def.trust, name as ServiceName, req, url.pathname)))
      throw new HttpProblem(401, 'a gateway identity token for this service is required');
    const request = {
      method: req.method ?? 'GET',
      pathname: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    if (faults && url.pathname === '/__demo/fault') return demoKnob(faults, request.method, body);
    if (!faults) return this.route(request);
    const outcome = await faults.apply(url.pathname === '/health', signal);
    if (outcome.kind === 'drop') return undefined;
    if (outcome.kind === 'answer') return outcome.reply;
    const reply = await this.route(request);
    return (await faults.afterWork(url.pathname === '/health', signal)) ? reply : undefined;
  }
}

/** `PUT /__demo/fault` (JSON Fault) replaces the service's fault, 204; `GET` shows it. */
function demoKnob(faults: FaultState, method: string, body: string): Reply {
  if (method === 'GET') return json(faults.current);
  if (method !== 'PUT') throw new HttpProblem(405, `${method} is not allowed here`);
  faults.set(parseJsonBody(body));
  return { status: 204 };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT_BYTES)
      throw new HttpProblem(413, `the request body exceeds ${BODY_LIMIT_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function write(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | number> = {};
  if (reply.body !== undefined) {
    headers['content-type'] = reply.contentType ?? 'text/plain; charset=utf-8';
    headers['content-length'] = Buffer.byteLength(reply.body);
  }
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}
