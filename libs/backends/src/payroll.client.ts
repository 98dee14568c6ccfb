import { asDecimal, asString, isTranslationError } from '@frontdoor/translator';
import { buildPath, type UpstreamClient } from '@frontdoor/upstream';
import type { CallContext } from './call-context';
import { ShapeError, readAs, record } from './decode';
import type { PayrollRecord } from './domain';

/** Payroll answers XML; values arrive as strings and are typed here, field by field (ids keep their zeros). */
export function readPayrollRecord(value: unknown): PayrollRecord {
  const salary = record(record(value, 'document')['salary'], 'salary');
  try {
    return {
      employeeId: asString(salary['employeeId'], 'employeeId'),
      base: asDecimal(salary['base'], 'base'),
      bonus: asDecimal(salary['bonus'], 'bonus'),
      currency: asString(salary['currency'], 'currency'),
      bankAccount: asString(salary['bankAccount'], 'bankAccount'),
    };
  } catch (error) {
    if (isTranslationError(error)) throw new ShapeError(error.message);
    throw error;
  }
}

/** The payroll service: salaries per employee (XML). */
export class PayrollClient {
  constructor(private readonly upstream: UpstreamClient) {}

  async getSalary(employeeId: string, ctx: CallContext): Promise<PayrollRecord> {
    const body = await this.upstream.fetch({
      method: 'GET',
      path: buildPath('/salaries/:employeeId', { employeeId }),
      ...ctx,
      headers: Object.assign({}, ctx.headers, { accept: 'application/xml' }),
    });
    return readAs(this.upstream.name, body, readPayrollRecord);
  }
}
