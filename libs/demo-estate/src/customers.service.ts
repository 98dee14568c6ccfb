import type { Customer } from './customers.seed';
import { HttpProblem, json, pageParams, paginate, type Route } from './http-kit';

/** customers (JSON): `GET /customers?limit=&offset=` → `{items, total, limit, offset}`, `GET /customers/:id`. */
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
      path: '/customers/:id',
      handler: ({ params }) => {
        const customer = byId.get(params['id'] ?? '');
        if (!customer) throw new HttpProblem(404, `no customer ${params['id']}`);
        return json(customer);
      },
    },
  ];
}
