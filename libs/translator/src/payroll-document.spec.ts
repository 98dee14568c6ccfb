import { decodeBody } from './body-decode';
import { asArray, asDecimal, asOptionalString, asString } from './typed-fields';
import { decodeXml } from './xml-decode';

// What the payroll upstream speaks: XML, amounts as decimals, accounts with leading zeros, optional bonus.
const PAYROLL = `<?xml version="1.0" encoding="UTF-8"?>
<!-- payroll export, period 2024-06 -->
<payroll>
  <period>2024-06</period>
  <generatedAt>2024-06-30T23:59:59Z</generatedAt>
  <employees>
    <employee>
      <id>E-0001</id>
      <name>Ada Lovelace</name>
      <salary>
        <base>5234.50</base>
        <currency>EUR</currency>
        <bonus>750.00</bonus>
      </salary>
      <bankAccount>
        <iban>DE89370400440532013000</iban>
        <number>0012345678</number>
      </bankAccount>
    </employee>
    <employee>
      <id>E-0002</id>
      <name>J&#252;rgen M&#xFC;ller &amp; S&#246;hne</name>
      <salary>
        <base>4100</base>
        <currency>EUR</currency>
        <bonus/>
      </salary>
      <bankAccount>
        <iban>DE02120300000000202051</iban>
        <number>0000202051</number>
      </bankAccount>
      <note><![CDATA[Part-time <80%> since 2023 & on leave]]></note>
    </employee>
    <employee>
      <id>E-0003</id>
      <name>Grace Hopper</name>
      <salary>
        <base>6120.75</base>
        <currency>USD</currency>
      </salary>
      <bankAccount>
        <iban>GB29NWBK60161331926819</iban>
        <number>31926819</number>
      </bankAccount>
    </employee>
  </employees>
  <totals><base>15455.25</base><count>3</count></totals>
</payroll>`;

interface Salary {
  id: string;
  name: string;
  base: number;
  bonus: number | undefined;
  currency: string;
  account: string;
}

function toSalaries(decoded: Record<string, unknown>): Salary[] {
  const payroll = decoded['payroll'] as Record<string, unknown>;
  const employees = payroll['employees'] as Record<string, unknown>;
  return asArray<Record<string, Record<string, unknown>>>(employees['employee']).map((e) => {
    const bonus = asOptionalString(e['salary']['bonus'], 'bonus');
    return {
      id: asString(e['id'], 'id'),
      name: asString(e['name'], 'name'),
      base: asDecimal(e['salary']['base'], 'salary.base'),
      bonus: bonus === undefined || bonus === '' ? undefined : asDecimal(bonus, 'salary.bonus'),
      currency: asString(e['salary']['currency'], 'salary.currency'),
      account: asString(e['bankAccount']['number'], 'bankAccount.number'),
    };
  });
}

describe('a payroll document', () => {
  it('is about 1.3 KB', () => {
    expect(Buffer.byteLength(PAYROLL)).toBeGreaterThan(1200);
    expect(Buffer.byteLength(PAYROLL)).toBeLessThan(1500);
  });

  it('decodes to strings, typed explicitly afterwards', () => {
    const decoded = decodeXml(PAYROLL, { arrays: ['payroll.employees.employee'] });
    expect(toSalaries(decoded)).toEqual([
      { id: 'E-0001', name: 'Ada Lovelace', base: 5234.5, bonus: 750, currency: 'EUR', account: '0012345678' },
      { id: 'E-0002', name: 'Jürgen Müller & Söhne', base: 4100, bonus: undefined, currency: 'EUR', account: '0000202051' },
      { id: 'E-0003', name: 'Grace Hopper', base: 6120.75, bonus: undefined, currency: 'USD', account: '31926819' },
    ]);
    const payroll = decoded['payroll'] as Record<string, Record<string, unknown>>;
    expect(payroll['period']).toBe('2024-06');
    expect(payroll['totals']).toEqual({ base: '15455.25', count: '3' });
    expect((payroll['employees']['employee'] as Record<string, unknown>[])[1]['note']).toBe(
      'Part-time <80%> since 2023 & on leave',
    );
  });

  it('decodes the same from bytes with a Content-Type', () => {
    const body = decodeBody(new TextEncoder().encode(PAYROLL), 'application/xml; charset=utf-8', {
      arrays: ['payroll.employees.employee'],
    });
    expect(body.format).toBe('xml');
    expect(toSalaries(body.value as Record<string, unknown>).map((s) => s.account)).toEqual([
      '0012345678',
      '0000202051',
      '31926819',
    ]);
  });

  it('refuses the same document once it declares a DOCTYPE', () => {
    const poisoned = PAYROLL.replace('<payroll>', '<!DOCTYPE payroll [<!ENTITY x SYSTEM "file:///etc/passwd">]><payroll>');
    expect(() => decodeXml(poisoned)).toThrow(expect.objectContaining({ failure: 'doctype' }) as unknown as Error);
  });
});
