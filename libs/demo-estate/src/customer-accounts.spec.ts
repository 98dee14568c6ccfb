import { startDemoEstate } from './demo-estate';
import type { DemoEstate } from './demo-estate.types';
import { DEMO_CUSTOMER_IDS } from './demo-ids';
import { customerIdOfSubject } from './customer-accounts';
import type { Customer } from './customers.seed';

describe('customerIdOfSubject (the demo link user → customer account)', () => {
  it.each([['alice'], ['sam'], ['demo-sales'], ['ünïcødé'], ['x'.repeat(64)]])('links %s to one seeded customer, always the same', (sub) => {
    expect(DEMO_CUSTOMER_IDS).toContain(customerIdOfSubject(sub));
    expect(customerIdOfSubject(sub)).toBe(customerIdOfSubject(sub));
  });

  it('spreads subjects over many customers', () => {
    const ids = new Set(Array.from({ length: 300 }, (_, i) => customerIdOfSubject(`user-${i}`)));
    expect(ids.size).toBeGreaterThan(100);
  });
});

describe('customers GET /customers/by-subject?sub=', () => {
  let estate: DemoEstate;
  beforeAll(async () => {
    estate = await startDemoEstate();
  });
  afterAll(() => estate?.stop());

  it.each([['alice'], ['sam'], ['https://idp.example/users/7?x=%41&y']])('answers the customer linked to %s', async (sub) => {
    const res = await fetch(`${estate.urls.customers}/customers/by-subject?sub=${encodeURIComponent(sub)}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Customer).id).toBe(customerIdOfSubject(sub));
  });

  it.each([['x'.repeat(65)], ['']])('refuses the subject %j (none, or longer than any token may carry)', async (sub) => {
    expect((await fetch(`${estate.urls.customers}/customers/by-subject?sub=${sub}`)).status).toBe(400);
  });

  it('still serves a customer by id', async () => {
    expect((await fetch(`${estate.urls.customers}/customers/C0002`)).status).toBe(200);
  });
});
