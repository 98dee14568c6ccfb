import { XML_TYPE, toXml } from './dialects';
import { HttpProblem, type Reply, type Route } from './http-kit';
import type { SalaryRecord } from './salaries.seed';

const MAX_BATCH = 200;

function xml(document: Record<string, unknown>): Reply {
  return { status: 200, contentType: XML_TYPE, body: toXml(document) };
}

/**
 * payroll (XML, errors `application/problem+xml`): `GET /salaries/:employeeId` → `<salary>…</salary>`;
 * `GET /salaries?employeeIds=E0001,E0002` → `<salaries><salary>…</salary>…</salaries>` in the order asked, unknown
 * ids left out (at most 200 ids; none → 400).
 */
export function payrollRoutes(salaries: readonly SalaryRecord[]): Route[] {
  const byId = new Map(salaries.map((s) => [s.employeeId, s]));
  return [
    {
      method: 'GET',
      path: '/salaries',
      handler: ({ query }) => {
        const ids = (query.get('employeeIds') ?? '')
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean);
        if (ids.length === 0 || ids.length > MAX_BATCH)
          throw new HttpProblem(400, `employeeIds must list 1 to ${MAX_BATCH} comma-separated employee ids`);
        const found = ids.map((id) => byId.get(id)).filter((s): s is SalaryRecord => s !== undefined);
        return xml({ salaries: found.length > 0 ? { salary: found } : '' });
      },
    },
    {
      method: 'GET',
      path: '/salaries/:employeeId',
      handler: ({ params }) => {
        const salary = byId.get(params['employeeId'] ?? '');
        if (!salary) throw new HttpProblem(404, `no salary for employee ${params['employeeId']}`);
        return xml({ salary });
      },
    },
  ];
}
