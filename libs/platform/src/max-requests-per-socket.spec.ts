import { Controller, Get } from '@nestjs/common';
import { captureLogs, type LogCapture } from '@frontdoor/testing';
import { connect, type Socket } from 'node:net';
import { listenApp, observedModule } from './testing/listen-app';

@Controller('ping')
class PingController {
  @Get()
  ping(): { pong: true } {
    return { pong: true };
  }
}

const REQUEST = 'GET /ping HTTP/1.1\r\nHost: t\r\n\r\n';

/** The heads (status line and header fields, lower case, one a line) of the HTTP/1.1 answers in `text`, in order. */
function headsOf(text: string): string[] {
  return text
    .split(/(?=HTTP\/1\.1 \d{3} )/)
    .filter((part) => part.startsWith('HTTP/1.1 '))
    .map((part) => part.slice(0, part.indexOf('\r\n\r\n')).replaceAll('\r\n', '\n').toLowerCase());
}

interface Read {
  /** Everything the server sent. */
  text(): string;
  /** Resolves true when the server ends the connection within `ms`, false otherwise. */
  ended(ms: number): Promise<boolean>;
  /** Resolves once `count` whole answers have arrived. */
  answers(count: number): Promise<void>;
}

function reader(socket: Socket): Read {
  let text = '';
  let closed = false;
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((wait) => wait());
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    wake();
  });
  socket.on('error', () => undefined); // a reset after the close counts as closed
  socket.on('close', () => {
    closed = true;
    wake();
  });
  const until = (ready: () => boolean, ms: number) =>
    new Promise<boolean>((resolve) => {
      const check = () => {
        if (!ready()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(true);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        resolve(ready());
      }, ms);
      waiters.add(check);
      check();
    });
  // an answer is whole once its body (`{"pong":true}`, by Content-Length) is in
  const whole = () => text.split('{"pong":true}').length - 1;
  return {
    text: () => text,
    ended: (ms) => until(() => closed, ms),
    answers: async (count) => {
      if (!(await until(() => whole() >= count || closed, 5_000)) || whole() < count)
        throw new Error(`expected ${count} answers, got:\n${text}`);
    },
  };
}

describe('MAX_REQUESTS_PER_SOCKET', () => {
  let url: URL;
  let close: () => Promise<void>;
  let logs: LogCapture;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    logs = captureLogs();
    const app = await listenApp(observedModule([PingController]), {
      logDestination: logs.stream,
      server: { logLevel: 'info', maxRequestsPerSocket: 2 },
    });
    url = new URL(app.url);
    close = app.close;
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.destroy()));
  afterAll(() => close());

  const open = () => {
    const socket = connect(Number(url.port), url.hostname);
    sockets.push(socket);
    return socket;
  };

  it('the last answer allowed says Connection: close and the connection is closed after it; pipelined requests behind it get no bare 503', async () => {
    const socket = open();
    const read = reader(socket);
    socket.write(REQUEST.repeat(4));
    expect(await read.ended(2_000)).toBe(true);
    const heads = headsOf(read.text());
    expect(heads.map((head) => head.slice(0, 12))).toEqual(['http/1.1 200', 'http/1.1 200']);
    expect(heads[0]).toMatch(/^connection: keep-alive$/m);
    expect(heads[1]).toMatch(/^connection: close$/m);
    // the last answer is the gateway's own, with everything an answer carries
    expect(heads[1]).toMatch(/^x-request-id: \S+$/m);
    expect(heads[1]).toMatch(/^x-content-type-options: nosniff$/m);
    expect(read.text()).not.toMatch(/ 503 /);
  });

  it('a kept-alive client that sends its requests one by one is closed on after the last answer, not left open for a 503', async () => {
    const socket = open();
    const read = reader(socket);
    socket.write(REQUEST);
    await read.answers(1);
    expect(await read.ended(100)).toBe(false);
    socket.write(REQUEST);
    await read.answers(2);
    expect(headsOf(read.text())[1]).toMatch(/^connection: close$/m);
    expect(await read.ended(2_000)).toBe(true);
    expect(read.text()).not.toMatch(/ 503 /);
  });

  it('a new connection gets its own allowance, and every answer sent has its access line', async () => {
    const socket = open();
    const read = reader(socket);
    socket.write(REQUEST.repeat(2));
    await read.answers(2);
    expect(await read.ended(2_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const ids = headsOf(read.text()).map((head) => /^x-request-id: (\S+)$/m.exec(head)?.[1]);
    const lines = logs
      .lines()
      .filter((line) => line['msg'] === 'request' && ids.includes(line['reqId'] as string));
    expect(lines.map((line) => [line['route'], line['status']])).toEqual([
      ['/ping', 200],
      ['/ping', 200],
    ]);
    expect(logs.lines().filter((line) => line['msg'] === 'request' && line['status'] === 503)).toEqual([]);
  });
});
