// Fixed upstream payloads for the benchmark, shaped like libs/demo-estate's (same field names and nesting, so the
// real routes decode them) but self-contained and computed once. Sizes follow issue 7: ~1 KB JSON per record,
// ~1.3 KB of XML for a salary. Extra fields a gateway must drop (costPrice, nationalId, iban…) are kept on purpose.

const ISO = '2024-06-13T01:14:50.000Z';
const WAREHOUSES = [
  { id: 'WH-BER', name: 'Berlin Central', location: 'Berlin, DE' },
  { id: 'WH-AMS', name: 'Amsterdam Port', location: 'Amsterdam, NL' },
  { id: 'WH-MAD', name: 'Madrid South', location: 'Madrid, ES' },
];
const pad = (n, width) => String(n).padStart(width, '0');

/** The n-th product (1-based), ~1.1 KB as JSON, like the demo estate's inventory. */
export function product(n) {
  const sku = `SKU-${pad(n, 5)}`;
  const base = `https://cdn.example.com/products/${sku.toLowerCase()}`;
  return {
    sku,
    name: `Vintage Carbon Speaker ${n}`,
    description:
      'The vintage carbon speaker is built for weekend trips. Its carbon body is tested for 10 years of service ' +
      'and ships fully assembled. Backed by a 2-year warranty and free returns within 30 days.',
    price: 751.48 + n,
    currency: 'EUR',
    stock: n % 25 === 0 ? 0 : 100 + (n % 300),
    warehouse: WAREHOUSES[n % WAREHOUSES.length],
    images: [
      { url: `${base}/1-thumbnail.jpg`, kind: 'thumbnail', width: 150, height: 150 },
      { url: `${base}/2-full.jpg`, kind: 'full', width: 1200, height: 1200 },
      { url: `${base}/3-zoom.jpg`, kind: 'zoom', width: 2400, height: 2400 },
      { url: `${base}/4-full.jpg`, kind: 'full', width: 1200, height: 1200 },
    ],
    tags: ['tools', 'outdoor', 'garden'],
    supplier: { id: 'SUP-004', name: 'Officina Verde', contactEmail: 'orders@officinaverde.example' },
    costPrice: 468.35,
    internalNotes: 'Margin under review (batch 457160).',
    createdAt: '2024-03-18T22:06:26.000Z',
    updatedAt: ISO,
  };
}

export const PRODUCT_TOTAL = 500;

/** A page of products as inventory answers `GET /products?limit=&offset=`. */
export function productPage(limit, offset) {
  const items = [];
  for (let i = offset; i < Math.min(offset + limit, PRODUCT_TOTAL); i += 1) items.push(product(i + 1));
  return { items, total: PRODUCT_TOTAL, limit, offset };
}

/** An employee as hr answers it, with a short role history so that the record is ~1 KB like the others. */
export function employee(id) {
  return {
    id,
    name: 'Lea Bianchi',
    email: 'lea.bianchi@corp.example',
    department: 'Executive',
    title: 'Chief Executive Officer',
    managerId: null,
    hiredAt: '2022-10-09',
    phone: '+43 84 2958820',
    address: { street: 'Marktplatz 170', city: 'Wien', postcode: '7745', country: 'AT' },
    nationalId: 'AT352688121',
    homeNotes: 'On reduced hours until further notice for family reasons.',
    history: [
      { from: '2022-10-09', title: 'Chief Operating Officer', department: 'Executive', note: 'Joined from the Vienna office.' },
      { from: '2023-04-01', title: 'Deputy Chief Executive Officer', department: 'Executive', note: 'Interim cover.' },
      { from: '2023-11-15', title: 'Chief Executive Officer', department: 'Executive', note: 'Board appointment.' },
      { from: '2024-05-01', title: 'Chief Executive Officer', department: 'Executive', note: 'Contract renewed.' },
      { from: '2024-09-01', title: 'Chief Executive Officer', department: 'Executive', note: 'Moved to the Berlin office.' },
    ],
  };
}

/** A salary record: the demo's fields (all strings, as XML carries them) plus ten payslips, ~1.3 KB as XML. */
export function salary(employeeId) {
  const payslips = [];
  for (let m = 1; m <= 10; m += 1) {
    payslips.push({ month: `2024-${pad(m, 2)}`, gross: '8230.09', net: '5102.66', paidAt: `2024-${pad(m, 2)}-28` });
  }
  return {
    employeeId,
    base: '8230.09',
    currency: 'EUR',
    bonus: '450.00',
    bankAccount: '0075895189',
    iban: 'DE53100700000075895189',
    payslips: { payslip: payslips },
  };
}

function xmlOf(name, value) {
  if (Array.isArray(value)) return value.map((v) => xmlOf(name, v)).join('');
  if (value !== null && typeof value === 'object') {
    return `<${name}>${Object.entries(value).map(([k, v]) => xmlOf(k, v)).join('')}</${name}>`;
  }
  return `<${name}>${String(value)}</${name}>`;
}

/** `<?xml …?><salary>…</salary>` as the demo payroll answers (values need no escaping here). */
export function salaryXml(employeeId) {
  return `<?xml version="1.0" encoding="UTF-8"?>${xmlOf('salary', salary(employeeId))}`;
}

/** The same document as JSON (`{"salary": {…}}`, values as strings): the twin the XML→JSON cost is measured against. */
export function salaryJson(employeeId) {
  return { salary: salary(employeeId) };
}

/** The n-th order, like the demo's sales. */
export function order(n) {
  return {
    id: `O-${pad(n, 5)}`,
    customerId: `C-${pad((n % 120) + 1, 4)}`,
    partnerId: n % 4 === 1 ? 'acme' : n % 6 === 2 ? 'globex' : null,
    items: [
      { sku: `SKU-${pad((n % 500) + 1, 5)}`, quantity: 2, unitPrice: 751.48 },
      { sku: `SKU-${pad(((n + 7) % 500) + 1, 5)}`, quantity: 1, unitPrice: 19.99 },
    ],
    total: 1522.95,
    currency: 'EUR',
    status: ['pending', 'paid', 'shipped', 'cancelled'][n % 4],
    createdAt: ISO,
  };
}

export const ORDER_TOTAL = 300;

export function orderPage(limit, offset, partnerId) {
  const items = [];
  for (let n = ORDER_TOTAL - offset; n >= 1 && items.length < limit; n -= 1) {
    const o = order(n);
    if (!partnerId || o.partnerId === partnerId) items.push(o);
  }
  return { items, total: partnerId ? Math.round(ORDER_TOTAL / 4) : ORDER_TOTAL, limit, offset };
}

export function salesSummary() {
  const window = (orders, revenue) => ({ orders, revenue });
  return {
    currency: 'EUR',
    referenceDate: '2024-06-15',
    today: window(4, 3120.5),
    last7Days: window(31, 27444.1),
    last30Days: window(118, 101887.35),
    byStatus: { pending: 22, paid: 61, shipped: 194, cancelled: 23 },
  };
}

export function stockAlerts() {
  const items = [];
  for (let n = 25; n <= 250; n += 25) {
    const p = product(n);
    items.push({ sku: p.sku, name: p.name, stock: p.stock, warehouse: p.warehouse });
  }
  return { items };
}

export function customer(id) {
  return {
    id,
    name: 'Globex Retail GmbH',
    email: 'purchasing@globex.example',
    phone: '+49 30 1234567',
    address: { street: 'Hauptstrasse 5', city: 'Berlin', postcode: '10115', country: 'DE' },
    segment: 'enterprise',
  };
}
