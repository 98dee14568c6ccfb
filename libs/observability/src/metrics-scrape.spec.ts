import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { Gauge, Registry } from 'prom-client';
import { HealthController } from './health.controller';
import { HttpMetrics, METRICS_TTL_MS, OTHER_METHOD } from './http-metrics';
import { Lifecycle } from './lifecycle';
import { ObservabilityModule } from './observability.module';

/** Counts the renderings of `metrics`' registry: a gauge's `collect` runs once in each. */
function countRenderings(metrics: HttpMetrics): { renderings: number } {
  const counted = { renderings: 0 };
  new Gauge({
    name: 'test_renderings',
    help: 'Renderings of the registry so far',
    registers: [metrics.registry],
    collect() {
      counted.renderings++;
    },
  });
  return counted;
}

/** The value of `http_requests_total` for this route, method and status in `text`, 0 when absent. */
function requestsTotal(text: string, route: string, method: string, status: number): number {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`http_requests_total{route="${route}",method="${method}",status="${status}"`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics (HealthController.scrape): one rendering answers for METRICS_TTL_MS', () => {
  // the memo's clock, moved by hand: no assertion here depends on how fast the machine is
  let now: number;
  beforeEach(() => {
    now = 10_000;
    jest.spyOn(performance, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  function scraper(metrics: HttpMetrics) {
    const controller = new HealthController(metrics, new Lifecycle(), []);
    const contentTypes: unknown[] = [];
    const reply = {
      header: (name: string, value: unknown) => {
        if (name === 'Content-Type') contentTypes.push(value);
        return reply;
      },
    } as unknown as FastifyReply;
    return {
      scrape: () => controller.scrape(reply),
      scrapeText: async () => (await controller.scrape(reply)).toString('utf8'),
      contentTypes,
    };
  }

  it('a burst of concurrent scrapes shares one rendering, and so does every scrape until METRICS_TTL_MS', async () => {
    const metrics = new HttpMetrics('scrape-test');
    const counted = countRenderings(metrics);
    const { scrape, contentTypes } = scraper(metrics);
    metrics.observe('/api/x', 'GET', 200, 0.01);

    const burst = await Promise.all(Array.from({ length: 50 }, () => scrape()));
    expect(counted.renderings).toBe(1);
    expect(new Set(burst).size).toBe(1); // the very same bytes
    expect(requestsTotal(String(burst[0]), '/api/x', 'GET', 200)).toBe(1);
    expect(contentTypes).toHaveLength(50);
    expect(new Set(contentTypes)).toEqual(new Set([metrics.contentType]));

    now += METRICS_TTL_MS - 1;
    expect(await scrape()).toBe(burst[0]);
    expect(counted.renderings).toBe(1);
  });

  it('a scrape after METRICS_TTL_MS is fresh: it shows the requests counted meanwhile, none lost', async () => {
    const metrics = new HttpMetrics('scrape-test');
    const counted = countRenderings(metrics);
    const { scrapeText } = scraper(metrics);
    metrics.observe('/api/x', 'GET', 200, 0.01);
    expect(requestsTotal(await scrapeText(), '/api/x', 'GET', 200)).toBe(1);

    metrics.observe('/api/x', 'GET', 200, 0.01);
    metrics.observe('/api/x', 'GET', 200, 0.01);
    now += METRICS_TTL_MS / 2;
    expect(requestsTotal(await scrapeText(), '/api/x', 'GET', 200)).toBe(1); // the same text…
    expect(requestsTotal(await metrics.text(), '/api/x', 'GET', 200)).toBe(3); // …while counting goes on

    now += METRICS_TTL_MS / 2;
    const fresh = await Promise.all([scrapeText(), scrapeText()]);
    expect(fresh.map((text) => requestsTotal(text, '/api/x', 'GET', 200))).toEqual([3, 3]);
    // the first scrape, `text()` (always fresh, outside the memo), the fresh pair
    expect(counted.renderings).toBe(3);
  });

  it('over HTTP (Nest on Fastify): a burst of concurrent GET /metrics renders once, answering the text and its type', async () => {
    @Module({
      imports: [ObservabilityModule.forRoot({ app: 'http-test', readiness: { useFactory: () => [] } })],
    })
    class AppModule {}
    const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), {
      logger: false,
    });
    try {
      await app.listen(0, '127.0.0.1');
      const base = await app.getUrl();
      const metrics = app.get(HttpMetrics);
      const counted = countRenderings(metrics);
      metrics.observe('/api/x', 'GET', 200, 0.01);
      const answers = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const res = await fetch(`${base}/metrics`);
          return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
        }),
      );
      expect(counted.renderings).toBe(1);
      expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200]));
      expect(new Set(answers.map((a) => a.type))).toEqual(new Set([Registry.PROMETHEUS_CONTENT_TYPE]));
      expect(new Set(answers.map((a) => a.text)).size).toBe(1);
      expect(requestsTotal(answers[0]?.text ?? '', '/api/x', 'GET', 200)).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('a failed rendering answers its scrapes with the error until METRICS_TTL_MS, then a scrape renders again', async () => {
    const metrics = new HttpMetrics('scrape-test');
    let failing = true;
    new Gauge({
      name: 'test_flaky',
      help: 'A gauge whose collect fails while `failing`',
      registers: [metrics.registry],
      collect() {
        if (failing) throw new Error('collect failed');
        this.set(1);
      },
    });
    const counted = countRenderings(metrics);
    const { scrape, scrapeText } = scraper(metrics);
    await expect(Promise.all([scrape(), scrape()])).rejects.toThrow('collect failed');
    failing = false;
    await expect(scrape()).rejects.toThrow('collect failed');
    now += METRICS_TTL_MS;
    expect(await scrapeText()).toMatch(/^test_flaky\{app="scrape-test"\} 1$/m);
    expect(counted.renderings).toBe(2);
  });
});

describe('HttpMetrics labels and the metrics it leaves out', () => {
  it('labels a method outside GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS (and UNPARSED) as OTHER', async () => {
    const metrics = new HttpMetrics('labels-test');
    const known = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'UNPARSED'];
    const unknown = ['FOO', 'PROPFIND', 'MKCOL', 'TRACE', 'CONNECT', 'M-SEARCH', 'get', 'x'.repeat(200)];
    for (const method of [...known, ...unknown]) metrics.observe('unmatched', method, 404, 0.001);
    const text = await metrics.text();
    const methods = (name: string) =>
      new Set(
        text
          .split('\n')
          .filter((l) => l.startsWith(`${name}{`))
          .map((l) => /method="([^"]*)"/.exec(l)?.[1]),
      );
    expect(methods('http_requests_total')).toEqual(new Set([...known, OTHER_METHOD]));
    expect(methods('http_request_duration_seconds_count')).toEqual(new Set([...known, OTHER_METHOD]));
    expect(requestsTotal(text, 'unmatched', OTHER_METHOD, 404)).toBe(unknown.length);
    expect(requestsTotal(text, 'unmatched', 'GET', 404)).toBe(1);
  });

  it('exports no nodejs_version_info (nor the version anywhere), and keeps the process metrics', async () => {
    const text = await new HttpMetrics('version-test').text();
    expect(text).not.toContain('nodejs_version_info');
    expect(text).not.toContain(process.version);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toMatch(new RegExp(`^${name}\\{app="version-test"\\} \\d`, 'm'));
    }
  });
});
