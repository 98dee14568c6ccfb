import { buildPath, type UpstreamClient } from '@frontdoor/upstream';
import type { CallContext } from './call-context';
import { readAs, record, str } from './decode';
import type { Customer } from './domain';

/** Copies the named fields of a customer; `creditScore` (sensitive) is never read. */
export function readCustomer(value: unknown): Customer {
  const v = record(value, 'customer');
  const address = record(v['address'], 'address');
  return {
    id: str(v['id'], 'id'),
    name: str(v['name'], 'name'),
    email: str(v['email'], 'email'),
    phone: str(v['phone'], 'phone'),
    address: {
      street: str(address['street'], 'address.street'),
      city: str(address['city'], 'address.city'),
      postcode: str(address['postcode'], 'address.postcode'),
      country: str(address['country'], 'address.country'),
    },
    segment: str(v['segment'], 'segment'),
  };
}

/** The customers service: customer accounts (JSON). */
export class CustomersClient {
  constructor(private readonly upstream: UpstreamClient) {}

  /** @throws ProblemError `not-found` (404) for an unknown id */
  async getCustomer(id: string, ctx: CallContext): Promise<Customer> {
    const body = await this.upstream.fetch({ method: 'GET', path: buildPath('/customers/:id', { id }), ...ctx });
    return readAs(this.upstream.name, body, readCustomer);
  }

  /**
   * The customer account linked to a signed-in user (the token subject). Pass the authenticated principal's id,
   * never a client-supplied value: whoever names the subject sees that account.
   */
  async customerOfSubject(subject: string, ctx: CallContext): Promise<Customer> {
    const body = await this.upstream.fetch({ method: 'GET', path: '/customers/by-subject', query: { sub: subject }, ...ctx });
    return readAs(this.upstream.name, body, readCustomer);
  }
}
