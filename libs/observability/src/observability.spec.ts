import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpMetrics } from './http-metrics';
import { bufferedDestination, createLogger, LOG_BUFFER_BYTES, LOG_FLUSH_MS } from './logger';
import { isWellFormedRequestId, requestIdOf } from './request-id';
import type { IncomingMessage } from 'node:http';

describe('request ids', () => {
  it.each([
    ['abc-123', true],
    ['A.b_c-9', true],
    ['x'.repeat(128), true],
    ['x'.repeat(129), false],
    ['', false],
    ['has space', false],
    ['new\nline', false],
    ['<script>', false],
    [undefined, false],
  ])('%j well-formed: %s', (value, ok) => {
    expect(isWellFormedRequestId(value)).toBe(ok);
    const id = requestIdOf({ headers: { 'x-request-id': value } } as unknown as IncomingMessage);
    if (ok) expect(id).toBe(value);
    else expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('HttpMetrics', () => {
  it('records duration per route, method and status class, and requests per exact status', async () => {
    const metrics = new HttpMetrics('test-app');
    metrics.observe('/api/x/:id', 'GET', 200, 0.004);
    metrics.observe('/api/x/:id', 'GET', 503, 0.2);
    const text = await metrics.text();
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.005",app="test-app",route="\/api\/x\/:id",method="GET",status_class="2xx"\} 1/);
    expect(text).toMatch(/http_requests_total\{route="\/api\/x\/:id",method="GET",status="503",app="test-app"\} 1/);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
  });
});

describe('logger', () => {
  it('redacts credentials wherever a header bag is logged', async () => {
    const chunks: string[] = [];
    const destination = new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c.toString()), done()) });
    const logger = createLogger({ app: 'a', level: 'info', destination });
    logger.info({ req: { headers: { authorization: 'Bearer tok-123', 'x-api-key': 'key-456', cookie: 'sid=789' } } }, 'x');
    logger.info({ headers: { authorization: 'Bearer tok-abc' }, bankAccount: '0012345678' }, 'y');
    const text = chunks.join('');
    expect(text).not.toMatch(/tok-123|key-456|sid=789|tok-abc|0012345678/);
    expect(text).toContain('[redacted]');
  });

  describe('the buffered destination (a real file)', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'frontdoor-log-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('holds a lone line back, then writes it within the flush interval', async () => {
      const file = join(dir, 'out.log');
      const destination = bufferedDestination(file) as ReturnType<typeof bufferedDestination> & { end(): void };
      await once(destination as never, 'ready');
      try {
        createLogger({ app: 'a', level: 'info', destination }).info({ route: '/x' }, 'request');
        expect(readFileSync(file, 'utf8')).toBe(''); // batched, not one write per line
        const started = Date.now();
        while (readFileSync(file, 'utf8') === '' && Date.now() - started < LOG_FLUSH_MS + 1500) await sleep(50);
        expect(Date.now() - started).toBeLessThan(LOG_FLUSH_MS + 1000);
        expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ app: 'a', route: '/x', msg: 'request' });
      } finally {
        destination.end();
      }
    });

    it('writes every line whole and in order, UTF-8 included, and the rest when flushed', async () => {
      const file = join(dir, 'out.log');
      const destination = bufferedDestination(file) as ReturnType<typeof bufferedDestination> & { end(): void; flush(cb: () => void): void };
      await once(destination as never, 'ready');
      try {
        const logger = createLogger({ app: 'a', level: 'info', destination });
        const lines = Math.ceil((2.5 * LOG_BUFFER_BYTES) / 120);
        for (let i = 0; i < lines; i++) logger.info({ i, name: 'Zoë — 東京 🚀' }, 'request');
        await new Promise<void>((resolve) => destination.flush(resolve));
        const written = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { i: number; name: string });
        expect(written.map((line) => line.i)).toEqual(Array.from({ length: lines }, (_, i) => i));
        expect(new Set(written.map((line) => line.name))).toEqual(new Set(['Zoë — 東京 🚀']));
      } finally {
        destination.end();
      }
    });

    it('writes as soon as a batch is full, without waiting for the interval', async () => {
      const file = join(dir, 'out.log');
      const destination = bufferedDestination(file) as ReturnType<typeof bufferedDestination> & { end(): void };
      await once(destination as never, 'ready');
      try {
        const logger = createLogger({ app: 'a', level: 'info', destination });
        const padding = 'p'.repeat(400);
        const lines = Math.ceil(LOG_BUFFER_BYTES / 400) + 1;
        for (let i = 0; i < lines; i++) logger.info({ i, padding }, 'request');
        const started = Date.now();
        while (readFileSync(file, 'utf8') === '' && Date.now() - started < 500) await sleep(10);
        expect(Date.now() - started).toBeLessThan(LOG_FLUSH_MS / 2);
        expect(readFileSync(file, 'utf8').length).toBeGreaterThanOrEqual(LOG_BUFFER_BYTES);
      } finally {
        destination.end();
      }
    });
  });
});
