import { isUpstreamError } from '@frontdoor/errors';
import { CustomersClient, readCustomer } from './customers.client';
import { readAs } from './decode';

const customer = {
  id: 'C0001', name: 'Ada Weber', email: 'ada@mail.example', phone: '+49 1', segment: 'vip',
  address: { street: 'Hauptstr. 1', city: 'Berlin', postcode: '10115', country: 'DE' },
  creditScore: 812, internalNotes: 'slow payer',
};

describe('readCustomer', () => {
  it('copies only the fields of the domain type', () => {
    expect(JSON.stringify(readCustomer(customer))).not.toMatch(/creditScore|812|internalNotes|slow payer/);
    expect(readCustomer(customer)).toMatchObject({ id: 'C0001', name: 'Ada Weber', segment: 'vip' });
  });

  it.each([
    ['without a name', { ...customer, name: undefined }],
    ['without an address', { ...customer, address: null }],
    ['as an array', [customer]],
  ])('a customer %s is a 502 bad response naming the upstream', (_label, value) => {
    let thrown: unknown;
    try {
      readAs('customers', value, readCustomer);
    } catch (error) {
      thrown = error;
    }
    expect(isUpstreamError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ status: 502, upstream: 'customers' });
  });
});

describe('CustomersClient.customerOfSubject', () => {
  it.each([['alice'], ['https://idp.example/u/7?a=%41']])('asks for subject %j as a query value, never a path segment', async (subject) => {
    const fetch = jest.fn().mockResolvedValue(customer);
    const client = new CustomersClient({ name: 'customers', fetch } as never);
    expect((await client.customerOfSubject(subject, { headers: {} })).id).toBe('C0001');
    expect(fetch.mock.calls[0]?.[0]).toMatchObject({ method: 'GET', path: '/customers/by-subject', query: { sub: subject } });
  });
});
