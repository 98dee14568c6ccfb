import { loadConfig, upstreamSchema } from '@frontdoor/config';
import { faults, startStub, type Stub } from '@frontdoor/testing';
import { upstreamDefinitionsFromConfig } from './upstream.config';
import { UpstreamRegistry } from './upstream.registry';

describe('UpstreamRegistry', () => {
  let stub: Stub;
  beforeAll(async () => (stub = await startStub(faults.json(200, {}))));
  afterAll(() => stub.close());

  it('builds one client per definition, found by name', async () => {
    const registry = new UpstreamRegistry([
      { name: 'inventory', urls: [new URL(stub.url)] },
      { name: 'hr', urls: [new URL(stub.url)] },
    ]);
    expect(registry.get('hr').name).toBe('hr');
    expect(registry.all().map((c) => c.name)).toEqual(['inventory', 'hr']);
    await registry.close();
    expect(registry.all().every((c) => c.closed)).toBe(true);
  });

  it.each([
    ['an unknown name', () => new UpstreamRegistry([]).get('payroll')],
    [
      'a duplicate name',
      () =>
        new UpstreamRegistry([
          { name: 'hr', urls: [new URL(stub.url)] },
          { name: 'hr', urls: [new URL(stub.url)] },
        ]),
    ],
    ['an upstream without URL', () => new UpstreamRegistry([{ name: 'hr', urls: [] }])],
    [
      'a base URL with a query',
      () => new UpstreamRegistry([{ name: 'hr', urls: [new URL(`${stub.url}/?x=1`)] }]),
    ],
  ])('refuses %s with a plain Error', (_label, build) => {
    expect(build).toThrow(Error);
  });
});

describe('upstreamDefinitionsFromConfig', () => {
  it('defines every upstream of the contract from the validated config', () => {
    const config = loadConfig(upstreamSchema, {
      UPSTREAM_PAYROLL_URL: 'http://10.0.0.1:8080/api,http://10.0.0.2:8080/api',
      ROUTE_DEADLINE_MS: '1500',
      BREAKER_FAILURES: '7',
      UPSTREAM_PAYROLL_MAX_CONCURRENT: '12',
    });
    const definitions = upstreamDefinitionsFromConfig(config);
    expect(definitions.map((d) => d.name)).toEqual(['inventory', 'hr', 'payroll', 'sales', 'customers']);
    const payroll = definitions.find((d) => d.name === 'payroll');
    expect(payroll?.urls.map(String)).toEqual(['http://10.0.0.1:8080/api', 'http://10.0.0.2:8080/api']);
    expect(payroll).toMatchObject({
      defaultDeadlineMs: 1500,
      connections: 64,
      maxResponseBytes: 8 * 1024 * 1024,
      maxConcurrent: 12,
      retry: { maxAttempts: 3, baseDelayMs: 50, budgetPercent: 20 },
      breaker: { failures: 7, halfOpenAfterMs: 10_000 },
      ejectAfterFailures: 3,
      probeIntervalMs: 5000,
    });
    expect(definitions.find((d) => d.name === 'sales')?.maxConcurrent).toBe(256);
    expect(definitions.find((d) => d.name === 'hr')?.urls.map(String)).toEqual(['http://127.0.0.1:4002/']);
  });
});
