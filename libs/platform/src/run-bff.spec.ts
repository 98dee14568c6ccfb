import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, killChildren, spawnTypeScript, within } from '@frontdoor/testing';

/**
 * `runBff` in a process of its own (it exits the process): an app with `GET /t/slow` (answers after SLOW_MS) and
 * `GET /t/noisy` (logs 500 lines of 4 KB), logging at info to stdout. Plain JavaScript (decorators applied by hand),
 * in a function scope: a top-level binding of `-e` would be seen by every module.
 */
const CHILD = `(() => {
  const src = ${JSON.stringify(__dirname)};
  const { runBff } = require(src + '/run-bff.ts');
  const { createBffApp } = require(src + '/create-bff-app.ts');
  const { observedModule, testServer } = require(src + '/testing/listen-app.ts');
  const { Controller, Get, Logger } = require('@nestjs/common');
  class TestController {
    async slow() {
      await new Promise((resolve) => setTimeout(resolve, Number(process.env.SLOW_MS)));
      return { done: true };
    }
    noisy() {
      const logger = new Logger('noisy');
      for (let i = 0; i < 500; i++) logger.warn('n'.repeat(4000));
      return { logged: 500 };
    }
  }
  for (const name of ['slow', 'noisy']) {
    const descriptor = Object.getOwnPropertyDescriptor(TestController.prototype, name);
    Reflect.decorate([Get(name)], TestController.prototype, name, descriptor);
  }
  Reflect.decorate([Controller('t')], TestController);
  const env = process.env;
  const listen = {
    port: Number(env.PORT),
    host: '127.0.0.1',
    shutdownDrainMs: Number(env.DRAIN_MS),
    routeDeadlineMs: Number(env.ROUTE_DEADLINE_MS),
  };
  const server = testServer({ logLevel: 'info' });
  void runBff('t-bff', listen, () => createBffApp(observedModule([TestController]), { app: 't-bff', server }));
})();`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

async function isLive(port: number): Promise<boolean> {
  try {
    return (await get(port, '/health/live')).status === 200;
  } catch {
    return false;
  }
}

interface Started {
  readonly child: ChildProcess;
  readonly port: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything written on stdout so far (nothing when `readStdout` is false). */
  stdout(): string;
  lines(): Record<string, unknown>[];
}

async function startRunBff(env: Record<string, string>, readStdout = true): Promise<Started> {
  const port = await freePort();
  const child = spawnTypeScript(['-e', CHILD], {
    SLOW_MS: '10000',
    ROUTE_DEADLINE_MS: '1000',
    ...env,
    PORT: String(port),
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stdout = '';
  let stderr = '';
  if (readStdout) child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  for (let i = 0; i < 240 && !(await isLive(port)); i++) {
    if (child.exitCode !== null) throw new Error(`the app exited early:\n${stdout}${stderr}`);
    await sleep(250);
  }
  return { child, port, exited, stdout: () => stdout, lines };
}

describe('runBff: the end of a drain and a second signal (a real process)', () => {
  const children: ChildProcess[] = [];
  afterEach(() => killChildren(children));

  it('warns at start when ROUTE_DEADLINE_MS is longer than SHUTDOWN_DRAIN_MS; at the deadline answers the request still running with a 503 problem and its access line, then exits 1', async () => {
    const app = await startRunBff({ DRAIN_MS: '1500', ROUTE_DEADLINE_MS: '20000' });
    children.push(app.child);
    const slow = get(app.port, '/t/slow');
    await sleep(300);
    const signalled = Date.now();
    app.child.kill('SIGTERM');

    // before: the connection was reset at the deadline (no answer, no access line)
    const answer = await slow;
    expect(answer.status).toBe(503);
    expect(answer.headers['connection']).toBe('close');
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(JSON.parse(answer.body)).toMatchObject({
      type: 'urn:frontdoor:problem:service-unavailable',
      status: 503,
      instance: '/t/slow',
    });
    expect(await within(app.exited, 5000)).toEqual({ code: 1, signal: null });
    expect(Date.now() - signalled).toBeLessThan(1500 + 2500);
    const lines = app.lines();
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        routeDeadlineMs: 20000,
        shutdownDrainMs: 1500,
        msg: expect.stringMatching(/ROUTE_DEADLINE_MS .* SHUTDOWN_DRAIN_MS/),
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        unanswered: 1,
        msg: expect.stringMatching(/did not drain within 1500 ms/),
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'request',
        route: '/t/slow',
        status: 503,
        reqId: answer.headers['x-request-id'],
      }),
    );
  }, 60_000);

  it('a second signal during the drain writes out every line logged so far, says so, and exits 1 at once', async () => {
    const app = await startRunBff({ DRAIN_MS: '8000' });
    children.push(app.child);
    const slow = get(app.port, '/t/slow').catch((error: Error) => error);
    await sleep(300);
    app.child.kill('SIGTERM');
    await sleep(300);
    const second = Date.now();
    app.child.kill('SIGINT');
    // before: Node's default action for the second signal (the handler was `once`), and the buffered lines lost
    expect(await within(app.exited, 3000)).toEqual({ code: 1, signal: null });
    expect(Date.now() - second).toBeLessThan(1500);
    await slow;
    const messages = app.lines().map((line) => line['msg']);
    expect(messages).toEqual(expect.arrayContaining(['t-bff listening', 't-bff draining']));
    expect(app.lines().some((line) => line['level'] === 'warn')).toBe(false); // ROUTE_DEADLINE_MS 1000 < 8000
    expect(app.lines()).toContainEqual(
      expect.objectContaining({
        level: 'error',
        signal: 'SIGINT',
        unanswered: 1,
        msg: 't-bff forced exit: SIGINT received while draining',
      }),
    );
  }, 60_000);

  it('exits within the log flush bound when its stdout is a pipe nobody reads', async () => {
    const app = await startRunBff({ DRAIN_MS: '5000' }, false);
    children.push(app.child);
    // ~10 MB of lines: the pipe is full, and more is held than the destination keeps
    for (let i = 0; i < 5; i++) expect((await get(app.port, '/t/noisy')).status).toBe(200);
    const signalled = Date.now();
    app.child.kill('SIGTERM');
    // before: the exit waited for the log flush, which never ended (and the drain's deadline exit too)
    expect(await within(app.exited, 6000)).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(4000);
  }, 60_000);
});
