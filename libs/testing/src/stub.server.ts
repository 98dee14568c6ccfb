import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the stub received it (the body fully read, as UTF-8). */
export interface RecordedRequest {
  method: string;
  /** The request target as sent, query string included. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What a stub does with a request once its body has been read. A throw before the headers are sent becomes a 500. */
export type StubHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

/** A loopback HTTP server for specs: bound to 127.0.0.1 on a port the OS picks. */
export interface Stub {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Every request received so far, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Requests received whose response has not finished (or been cut off) yet. */
  inFlight(): number;
  /** The highest `inFlight()` seen since start. */
  maxInFlight(): number;
  /** TCP connections accepted since start (keep-alive reuse shows as few connections for many requests). */
  connections(): number;
  /** Stops listening and destroys every open socket, hanging responses included. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a stub on `127.0.0.1:0`. The handler runs after the request body has been read and recorded.
 * Always `close()` it in `afterAll`/`afterEach`.
 */
export async function startStub(handler: StubHandler): Promise<Stub> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;
  let connections = 0;

  const server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => (inFlight -= 1));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      Promise.resolve()
        .then(() => handler(req, res, body))
        .catch(() => failed(res));
    });
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    connections: () => connections,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      })),
  };
}

function failed(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { 'content-type': 'text/plain' }).end('stub handler failed');
}

/** A port on 127.0.0.1 where nothing listens (bound to 0, then closed): connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A free port on 127.0.0.1 for a server a spec starts itself (same as `closedPort`, named for intent). */
export const freePort = closedPort;
