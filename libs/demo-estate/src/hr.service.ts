import type { Employee } from './employees.seed';
import { HttpProblem, json, pageParams, paginate, type Route } from './http-kit';

/** hr (JSON): `GET /employees?limit=&offset=` → `{items, total, limit, offset}`, `GET /employees/:id`. */
export function hrRoutes(employees: readonly Employee[]): Route[] {
  const byId = new Map(employees.map((e) => [e.id, e]));
  return [
    {
      method: 'GET',
      path: '/employees',
      handler: ({ query }) => json(paginate(employees, pageParams(query))),
    },
    {
      method: 'GET',
      path: '/employees/:id',
      handler: ({ params }) => {
        const employee = byId.get(params['id'] ?? '');
        if (!employee) throw new HttpProblem(404, `no employee ${params['id']}`);
        return json(employee);
      },
    },
  ];
}
