import { createServer } from 'node:net';
import { startDemoEstate } from './demo-estate';
import type { DemoEstate } from './demo-estate.types';
import { ESTATE_MEMBERS } from './estate-members';

function causeCode(error: unknown): string | undefined {
  return ((error as { cause?: { code?: string } }).cause ?? {}).code;
}

describe('the demo estate', () => {
  let estate: DemoEstate;
  beforeAll(async () => {
    estate = await startDemoEstate();
  });
  afterAll(() => estate?.stop());

  it('listens on 127.0.0.1 with one port per member and a health route everywhere', async () => {
    const ports = new Set<string>();
    for (const member of ESTATE_MEMBERS) {
      expect(estate.urls[member]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      ports.add(estate.urls[member]);
      expect(await (await fetch(`${estate.urls[member]}/health`)).json()).toEqual({ status: 'ok' });
    }
    expect(ports.size).toBe(6);
    expect(estate.jwksUrl).toBe(`${estate.urls.identity}/.well-known/jwks.json`);
    expect([estate.issuer, estate.audience]).toEqual(['http://127.0.0.1:4000', 'frontdoor']);
  });

  it('stopService refuses connections; startService serves again on the same port', async () => {
    const url = `${estate.urls.inventory}/health`;
    expect((await fetch(url)).status).toBe(200); // leaves a keep-alive socket open
    await estate.stopService('inventory');
    const refused = await fetch(url).catch((error: unknown) => error);
    expect(causeCode(refused)).toBe('ECONNREFUSED');
    await estate.stopService('inventory');
    await estate.startService('inventory');
    await estate.startService('inventory');
    expect((await fetch(url)).status).toBe(200);
  });

  it('records what each service received, headers included, in a ring of 200', async () => {
    estate.clearRecorded();
    await fetch(`${estate.urls.sales}/orders?limit=1`, { headers: { 'x-request-id': 'rec-1' } });
    await fetch(`${estate.urls.sales}/orders`, { method: 'POST', body: '{"customerId":"C0001","items":[]}' });
    const recorded = estate.recorded('sales');
    expect(recorded.map((r) => [r.method, r.path])).toEqual([
      ['GET', '/orders?limit=1'],
      ['POST', '/orders'],
    ]);
    expect(recorded[0]?.headers['x-request-id']).toBe('rec-1');
    expect(recorded[1]?.body).toBe('{"customerId":"C0001","items":[]}');
    expect(recorded[0]?.at).toEqual(expect.any(Number));
    expect(estate.recorded('hr')).toEqual([]);
    await Promise.all(
      Array.from({ length: 210 }, (_, i) =>
        fetch(`${estate.urls.hr}/health?n=${i}`).then((r) => r.arrayBuffer()),
      ),
    );
    expect(estate.recorded('hr')).toHaveLength(200);
    estate.clearRecorded();
    expect(estate.recorded('sales')).toEqual([]);
  });

  it('fails clearly when a port is taken, leaving nothing listening', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startDemoEstate({ ports: { payroll: port } })).rejects.toThrow(
        `payroll could not listen on port ${port}`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('stop() is idempotent and closes every member', async () => {
    const other = await startDemoEstate();
    await Promise.all([other.stop(), other.stop()]);
    await other.stop();
    for (const member of ESTATE_MEMBERS)
      expect(causeCode(await fetch(`${other.urls[member]}/health`).catch((e: unknown) => e))).toBe(
        'ECONNREFUSED',
      );
    await expect(other.startService('hr')).rejects.toThrow('already stopped');
  });
});
