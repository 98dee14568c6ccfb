import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { startDemoEstate } from './demo-estate';
import type { DemoEstate } from './demo-estate.types';
import { DEMO_IDS } from './demo-ids';

const parser = new XMLParser({ parseTagValue: false, ignoreDeclaration: true });

type Salary = Record<string, string>;
interface PayrollDoc {
  salary: Salary;
  salaries: { salary: Salary[] };
  problem: Record<string, string>;
}

async function getXml(
  url: string,
): Promise<{ status: number; type: string | null; text: string; doc: PayrollDoc }> {
  const res = await fetch(url);
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    text,
    doc: parser.parse(text) as PayrollDoc,
  };
}

describe('payroll (XML)', () => {
  let estate: DemoEstate;
  beforeAll(async () => {
    estate = await startDemoEstate();
  });
  afterAll(() => estate?.stop());

  it('answers a well-formed salary whose bank account keeps its leading zeros', async () => {
    const res = await getXml(`${estate.urls.payroll}/salaries/${DEMO_IDS.employee}`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/xml; charset=utf-8');
    expect(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?><salary>')).toBe(true);
    expect(XMLValidator.validate(res.text)).toBe(true);
    expect(res.doc.salary).toEqual({
      employeeId: 'E0001',
      base: expect.stringMatching(/^\d+\.\d{2}$/),
      currency: 'EUR',
      bonus: expect.stringMatching(/^\d+\.\d{2}$/),
      bankAccount: expect.stringMatching(/^00\d{8}$/),
      iban: expect.stringMatching(/^DE\d{20}$/),
    });
    expect(res.doc.salary['iban']?.endsWith(res.doc.salary['bankAccount'] as string)).toBe(true);
  });

  it('answers a batch in the order asked, leaving unknown ids out', async () => {
    const res = await getXml(`${estate.urls.payroll}/salaries?employeeIds=E0002,E9999,E0001`);
    expect(res.status).toBe(200);
    expect(res.doc.salaries.salary.map((s) => s['employeeId'])).toEqual(['E0002', 'E0001']);
    const empty = await getXml(`${estate.urls.payroll}/salaries?employeeIds=E9999`);
    expect(empty.text).toContain('<salaries></salaries>');
  });

  it.each([
    [`/salaries/${DEMO_IDS.unknownEmployee}`, 404, 'Not Found'],
    ['/salaries', 400, 'Bad Request'],
    ['/salaries?employeeIds=', 400, 'Bad Request'],
    ['/nothing', 404, 'Not Found'],
  ])('GET %s → %i problem+xml', async (path, status, title) => {
    const res = await getXml(`${estate.urls.payroll}${path}`);
    expect(res.status).toBe(status);
    expect(res.type).toBe('application/problem+xml; charset=utf-8');
    expect(res.doc.problem).toMatchObject({ status: String(status), title });
  });

  it('has a salary for every hr employee', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `E${String(i + 1).padStart(4, '0')}`);
    const res = await getXml(`${estate.urls.payroll}/salaries?employeeIds=${ids.join(',')}`);
    expect(res.doc.salaries.salary).toHaveLength(200);
  });
});
