import { Controller, Get } from '@nestjs/common';
import { Public } from '@frontdoor/rbac';
import { captureLogs, type LogCapture } from '@frontdoor/testing';
import { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { listenApp, observedModule } from './testing/listen-app';

@Public()
@Controller('ping')
class PingController {
  @Get()
  ping(): { pong: true } {
    return { pong: true };
  }
}

/** Writes `data` on a fresh connection from 127.0.0.1; resolves with everything the server sent until it closed. */
function raw(port: number, data: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let text = '';
    socket.on('data', (d) => (text += d.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', () => undefined);
    socket.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.1' }, () => socket.write(data));
    setTimeout(() => socket.destroy(), 8000);
  });
}

describe("the access line of a request the HTTP parser refused: the socket's address, and no method or path", () => {
  let port: number;
  let close: () => Promise<void>;
  let logs: LogCapture;
  beforeAll(async () => {
    logs = captureLogs();
    // TRUST_PROXY trusts 127.0.0.1: a request that was parsed would be known by its X-Forwarded-For
    const trustProxy = [{ family: 'ipv4' as const, address: '127.0.0.0', prefix: 8 }];
    ({ port, close } = await listenApp(observedModule([PingController]), {
      logDestination: logs.stream,
      server: { logLevel: 'info', trustProxy },
    }));
  });
  afterAll(() => close());

  const accessLines = () => logs.lines().filter((line) => line['msg'] === 'request');
  async function lineOf(requestId: string | undefined): Promise<Record<string, unknown> | undefined> {
    for (const start = Date.now(); Date.now() - start < 2000; await sleep(10)) {
      const line = accessLines().find((l) => l['reqId'] === requestId);
      if (line !== undefined) return line;
    }
    return undefined;
  }
  const requestIdOf = (answer: string) => /x-request-id: ([^\r]+)\r\n/i.exec(answer)?.[1];

  it.each([
    ['a malformed request line', 'NOT HTTP AT ALL\r\n\r\n', 400, 'HPE_INVALID_METHOD'],
    [
      'a malformed header line',
      'GET /ping HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n',
      400,
      'HPE_INVALID_HEADER_TOKEN',
    ],
    [
      'header fields too large, X-Forwarded-For among them (TRUST_PROXY does not apply: the request was not parsed)',
      `GET /ping HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'HPE_HEADER_OVERFLOW',
    ],
  ])('%s: ip 127.0.0.1', async (_what, request, status, code) => {
    const answer = await raw(port, request);
    expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    const line = await lineOf(requestIdOf(answer));
    expect(line).toMatchObject({ route: 'unmatched', ip: '127.0.0.1', status, refused: code });
    // Node's parser error tells neither (only the chunk it was parsing): none is guessed
    expect(line).not.toHaveProperty('method');
    expect(line).not.toHaveProperty('path');
  });

  it('a request that was parsed keeps its ip as before (X-Forwarded-For through TRUST_PROXY)', async () => {
    const answer = await raw(
      port,
      'GET /ping HTTP/1.1\r\nHost: x\r\nX-Request-Id: parsed-1\r\nX-Forwarded-For: 203.0.113.7\r\nConnection: close\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(await lineOf('parsed-1')).toMatchObject({
      method: 'GET',
      path: '/ping',
      ip: '203.0.113.7',
      status: 200,
    });
  });
});
