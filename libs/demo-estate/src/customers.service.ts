import type { Customer } from './customers.seed';
import { customerIdOfSubject } from './customer-accounts';
import { HttpProblem, json, pageParams, paginate, type Route } from './http-kit';

/**
 * customers (JSON): `GET /customers?limit=&offset=` → `{items, total, limit, offset}`, `GET /customers/:id`,
 * `GET /customers/by-subject?sub=` → the customer account linked to a signed-in user (see `customerIdOfSubject`).
 */
export function customersRoutes(customers: readonly Customer[]): Route[] {
  const byId = new Map(customers.map((c) => [c.id, c]));
  return [
    {
      method: 'GET',
      path: '/customers',
      handler: ({ query }) => json(paginate(customers, pageParams(query))),
    },
    {
      method: 'GET',
      path: '/customers/by-subject',
      handler: ({ query }) => {
        const subject = query.get('sub') ?? '';
        if (subject.length === 0 || subject.length > 64) throw new HttpProblem(400, 'sub must be 1 to 64 characters');
        return json(byId.get(customerIdOfSubject(subject)));
      },
    },
    {
      method: 'GET',
      path: '/customers/:id',
      handler: ({ params }) => {
        const customer = byId.get(params['id'] ?? '');
        if (!customer) throw new HttpProblem(404, `no customer ${params['id']}`);
        return json(customer);
      },
    },
  ];
}
