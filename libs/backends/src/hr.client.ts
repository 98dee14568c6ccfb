import { buildPath, type UpstreamClient } from '@frontdoor/upstream';
import type { CallContext } from './call-context';
import { readAs, record, str, strOrNull } from './decode';
import type { Employee } from './domain';

export function readEmployee(value: unknown): Employee {
  const v = record(value, 'employee');
  const address = record(v['address'], 'address');
  return {
    id: str(v['id'], 'id'),
    name: str(v['name'], 'name'),
    email: str(v['email'], 'email'),
    department: str(v['department'], 'department'),
    title: str(v['title'], 'title'),
    managerId: strOrNull(v['managerId'], 'managerId'),
    hiredAt: str(v['hiredAt'], 'hiredAt'),
    phone: str(v['phone'], 'phone'),
    address: {
      street: str(address['street'], 'address.street'),
      city: str(address['city'], 'address.city'),
      postcode: str(address['postcode'], 'address.postcode'),
      country: str(address['country'], 'address.country'),
    },
  };
}

/** The hr service: employees (JSON). */
export class HrClient {
  constructor(private readonly upstream: UpstreamClient) {}

  async getEmployee(id: string, ctx: CallContext): Promise<Employee> {
    const body = await this.upstream.fetch({ method: 'GET', path: buildPath('/employees/:id', { id }), ...ctx });
    return readAs(this.upstream.name, body, readEmployee);
  }
}
