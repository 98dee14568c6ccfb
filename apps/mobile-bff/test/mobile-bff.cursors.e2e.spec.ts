import { seedProducts, startDemoEstate, type DemoEstate } from '@frontdoor/demo-estate';
import { pageCursors } from '../src/products/page-cursor';
import { startMobileTestApp, type MobileTestApp } from './mobile-test-app';

type Page = { items: { sku: string }[]; nextCursor: string | null };
const SECRET = 'shared-by-every-replica-0123456789abcdef';
const KITCHEN = seedProducts()
  .filter((p) => p.tags.includes('kitchen'))
  .map((p) => p.sku);

/**
 * Signed cursors end to end: two replicas sharing MOBILE_CURSOR_SECRET accept each other's cursors; an instance
 * with its own key, another query, or a tampered cursor gets a 400 problem.
 */
describe('mobile-bff cursor pagination e2e', () => {
  let estate: DemoEstate;
  const replicas: MobileTestApp[] = [];
  let [replicaA, replicaB, loner] = ['', '', ''];
  let auth: Record<string, string>;

  /** A replica on the shared estate, with its own MOBILE_CURSOR_SECRET unless `secret` is undefined. */
  async function start(secret: string | undefined): Promise<string> {
    const replica = await startMobileTestApp({
      estate,
      env: secret === undefined ? {} : { MOBILE_CURSOR_SECRET: secret },
    });
    replicas.push(replica);
    return replica.base;
  }

  beforeAll(async () => {
    estate = await startDemoEstate();
    [replicaA, replicaB, loner] = await Promise.all([start(SECRET), start(SECRET), start(undefined)]);
    auth = { authorization: `Bearer ${await estate.issueToken({ sub: 'sam', roles: ['warehouse'] })}` };
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await estate?.stop();
  });

  const get = (base: string, query: string) => fetch(`${base}/api/products?${query}`, { headers: auth });
  const page = async (base: string, query: string): Promise<Page> => {
    const res = await get(base, query);
    expect([query, res.status]).toEqual([query, 200]);
    return (await res.json()) as Page;
  };

  it('walks a whole filtered list, alternating replicas, without gaps or repeats, and ends with a null cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 100; i += 1) {
      const base = i % 2 === 0 ? replicaA : replicaB;
      const { items, nextCursor }: Page = await page(
        base,
        `tag=kitchen&limit=7${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      seen.push(...items.map((item) => item.sku));
      if (nextCursor === null) break;
      expect(nextCursor).toMatch(/^[A-Za-z0-9_-]{28}$/);
      cursor = nextCursor;
    }
    expect(seen).toEqual(KITCHEN);
  });

  it('lets the page size change between pages (a cursor is bound to the filters, not to the limit)', async () => {
    const first = await page(replicaA, 'tag=kitchen&limit=3');
    const next = await page(replicaA, `tag=kitchen&limit=10&cursor=${first.nextCursor}`);
    expect(next.items.map((i) => i.sku)).toEqual(KITCHEN.slice(3, 13));
  });

  it.each([
    ['another tag', 'tag=garden'],
    ['a search added', 'tag=kitchen&q=lamp'],
    ['no filter at all', ''],
  ])('a cursor replayed on %s is a 400 problem, and inventory is not asked', async (_label, query) => {
    const { nextCursor } = await page(replicaA, 'tag=kitchen&limit=5');
    estate.clearRecorded();
    const res = await get(replicaA, `${query}&cursor=${nextCursor}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { detail: string }).detail).toBe(
      'The cursor is not valid for this query; start again without one.',
    );
    expect(estate.recorded('inventory')).toEqual([]);
  });

  it.each([
    [
      'a replica with its own key',
      async () => (await page(loner, 'tag=kitchen&limit=5')).nextCursor as string,
    ],
    [
      'a cursor signed with a guessed key',
      async () =>
        pageCursors('guessed-secret-guessed-secret-guessed-secret', 'products').encode(5, ['', 'kitchen']),
    ],
    [
      'an edited offset',
      async () => {
        const bytes = Buffer.from(
          (await page(replicaA, 'tag=kitchen&limit=5')).nextCursor as string,
          'base64url',
        );
        bytes[4] = 200;
        return bytes.toString('base64url');
      },
    ],
    ['the old unsigned base64 offset', async () => Buffer.from('5').toString('base64url')],
  ])('%s → 400 problem on a replica of the shared key', async (_label, cursorOf) => {
    const res = await get(replicaA, `tag=kitchen&cursor=${await cursorOf()}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
