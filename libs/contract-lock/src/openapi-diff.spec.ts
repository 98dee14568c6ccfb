/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-non-null-assertion -- fixtures are edited structurally */
import { diffOpenApi, formatDiff } from './openapi-diff';

const base = () => ({
  openapi: '3.0.0',
  paths: {
    '/v1/products': {
      get: {
        parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer' } }],
        responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Page' } } } } },
      },
    },
    '/v1/orders': {
      post: {
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['customerId'],
                properties: { customerId: { type: 'string' }, note: { type: 'string' }, channel: { type: 'string', enum: ['web', 'edi'] } },
              },
            },
          },
        },
        responses: { '201': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } } },
      },
    },
  },
  components: {
    schemas: {
      Page: { type: 'object', required: ['data'], properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Product' } } } },
      Product: { type: 'object', required: ['sku', 'price'], properties: { sku: { type: 'string' }, price: { type: 'number' } } },
      Order: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, total: { type: 'number' }, status: { type: 'string', enum: ['open', 'closed'] } } },
    },
  },
});

type Doc = ReturnType<typeof base>;
const change = (edit: (doc: Doc & Record<string, any>) => void): Doc => {
  const doc = base();
  edit(doc as Doc & Record<string, any>);
  return doc;
};

describe('diffOpenApi', () => {
  it.each([
    ['a removed operation', change((d) => delete (d.paths['/v1/orders'] as Record<string, unknown>)['post']), 'POST /v1/orders: operation removed'],
    ['a removed response field', change((d) => delete (d.components.schemas.Product.properties as Record<string, unknown>)['price']), 'GET /v1/products → 200.data[].price: response field removed'],
    ['a changed response type', change((d) => (d.components.schemas.Product.properties.price = { type: 'string' } as never)), 'GET /v1/products → 200.data[].price: type changed from number to string'],
    ['a response field no longer required', change((d) => (d.components.schemas.Order.required = [])), 'POST /v1/orders → 201.id: response field no longer required'],
    ['a new required parameter', change((d) => d.paths['/v1/products'].get.parameters.push({ name: 'tenant', in: 'query', required: true, schema: { type: 'string' } })), 'GET /v1/products query:tenant: new required parameter'],
    ['a parameter that became required', change((d) => (d.paths['/v1/products'].get.parameters[0]!.required = true)), 'GET /v1/products query:limit: parameter became required'],
    ['a removed parameter', change((d) => (d.paths['/v1/products'].get.parameters = [])), 'GET /v1/products query:limit: parameter removed'],
    ['a new required body field', change((d) => {
      const schema = d.paths['/v1/orders'].post.requestBody.content['application/json'].schema as { required: string[]; properties: Record<string, unknown> };
      schema.properties['currency'] = { type: 'string' };
      schema.required.push('currency');
    }), 'POST /v1/orders body.currency: new required input'],
    ['a removed enum value of an input', change((d) => ((d.paths['/v1/orders'].post.requestBody.content['application/json'].schema as any).properties.channel.enum = ['web'])), 'POST /v1/orders body.channel: value "edi" no longer accepted'],
    ['a new enum value in a response', change((d) => ((d.components.schemas.Order.properties as any).status = { type: 'string', enum: ['open', 'closed', 'lost'] })), 'POST /v1/orders → 201.status: new value "lost" in a response'],
  ])('%s is breaking', (_label, current, expected) => {
    const diff = diffOpenApi(base(), current);
    expect(diff.breaking).toContain(expected);
    expect(formatDiff('v1', diff)).toContain(`✗ ${expected}`);
  });

  it.each([
    ['a new operation', change((d) => ((d.paths as Record<string, unknown>)['/v1/usage'] = { get: { responses: {} } })), 'GET /v1/usage: operation added'],
    ['a new response field', change((d) => ((d.components.schemas.Product.properties as Record<string, unknown>)['name'] = { type: 'string' })), 'GET /v1/products → 200.data[].name: response field added'],
    ['a new optional parameter', change((d) => d.paths['/v1/products'].get.parameters.push({ name: 'q', in: 'query', required: false, schema: { type: 'string' } })), 'GET /v1/products query:q: optional parameter added'],
    ['a new optional body field', change((d) => (((d.paths['/v1/orders'].post.requestBody.content['application/json'].schema as any).properties.ref = { type: 'string' }))), 'POST /v1/orders body.ref: optional input added'],
  ])('%s is an allowed addition', (_label, current, expected) => {
    const diff = diffOpenApi(base(), current);
    expect(diff.breaking).toEqual([]);
    expect(diff.additions).toContain(expected);
  });

  it('an identical document has no differences', () => {
    expect(diffOpenApi(base(), base())).toEqual({ breaking: [], additions: [] });
  });
});

/** One-operation documents around the fragment under test, so that each case reads as before → after. */
const query = (schema: object) => ({ paths: { '/v1/products': { get: { parameters: [{ name: 'limit', in: 'query', schema }], responses: {} } } } });
const header = (schema: object) => ({
  paths: { '/v1/orders': { post: { parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema }], responses: {} } } },
});
const pathParam = (schema: object) => ({ paths: { '/v1/orders/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema }], responses: {} } } } });
const body = (properties: object, components: object = {}) => ({
  paths: { '/v1/orders': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object', properties } } } }, responses: {} } } },
  components: { schemas: components },
});
const reply = (properties: object, components: object = {}, root: object = {}) => ({
  paths: { '/v1/orders/{id}': { get: { responses: { '200': { content: { 'application/json': { schema: { type: 'object', properties, ...root } } } } } } } },
  components: { schemas: components },
});
const replyHeaders = (status: string, headers: object, components: object = {}) => ({
  paths: { '/v1/orders': { get: { responses: { [status]: { description: 'answer', headers } } } } },
  components: { headers: components },
});
type Expected = { breaking?: string[]; additions?: string[] };
const expectDiff = (before: object, after: object, { breaking = [], additions = [] }: Expected) =>
  expect(diffOpenApi(before as never, after as never)).toEqual({ breaking, additions });

describe('diffOpenApi: constraints on what a client sends (a tightening refuses requests that were valid)', () => {
  const int = { type: 'integer' };
  const str = { type: 'string' };
  const list = { type: 'array', items: str };
  it.each<[string, object, object, Expected]>([
    ['a maximum lowered', query({ ...int, maximum: 100 }), query({ ...int, maximum: 50 }), { breaking: ['GET /v1/products query:limit: maximum lowered from 100 to 50'] }],
    ['a maximum added', query(int), query({ ...int, maximum: 100 }), { breaking: ['GET /v1/products query:limit: maximum 100 added'] }],
    ['a minimum raised', query({ ...int, minimum: 0 }), query({ ...int, minimum: 1 }), { breaking: ['GET /v1/products query:limit: minimum raised from 0 to 1'] }],
    ['a minimum added', query(int), query({ ...int, minimum: 1 }), { breaking: ['GET /v1/products query:limit: minimum 1 added'] }],
    ['exclusiveMaximum (3.0 flag) set', query({ ...int, maximum: 100 }), query({ ...int, maximum: 100, exclusiveMaximum: true }), { breaking: ['GET /v1/products query:limit: maximum tightened from 100 to 100 (exclusive)'] }],
    ['exclusiveMinimum (3.1 bound) replacing minimum', query({ ...int, minimum: 0 }), query({ ...int, exclusiveMinimum: 0 }), { breaking: ['GET /v1/products query:limit: minimum tightened from 0 to 0 (exclusive)'] }],
    ['an exclusiveMaximum added', query(int), query({ ...int, exclusiveMaximum: 10 }), { breaking: ['GET /v1/products query:limit: maximum 10 (exclusive) added'] }],
    ['a maxLength lowered (body)', body({ customerId: { ...str, maxLength: 64 } }), body({ customerId: { ...str, maxLength: 32 } }), { breaking: ['POST /v1/orders body.customerId: maxLength lowered from 64 to 32'] }],
    ['a maxLength added (body)', body({ customerId: str }), body({ customerId: { ...str, maxLength: 64 } }), { breaking: ['POST /v1/orders body.customerId: maxLength 64 added'] }],
    ['a minLength raised (header)', header({ ...str, minLength: 8 }), header({ ...str, minLength: 16 }), { breaking: ['POST /v1/orders header:Idempotency-Key: minLength raised from 8 to 16'] }],
    ['a minLength added (body)', body({ customerId: str }), body({ customerId: { ...str, minLength: 1 } }), { breaking: ['POST /v1/orders body.customerId: minLength 1 added'] }],
    ['a maxItems lowered', body({ items: { ...list, maxItems: 50 } }), body({ items: { ...list, maxItems: 10 } }), { breaking: ['POST /v1/orders body.items: maxItems lowered from 50 to 10'] }],
    ['a maxItems added', body({ items: list }), body({ items: { ...list, maxItems: 50 } }), { breaking: ['POST /v1/orders body.items: maxItems 50 added'] }],
    ['a minItems raised', body({ items: { ...list, minItems: 1 } }), body({ items: { ...list, minItems: 2 } }), { breaking: ['POST /v1/orders body.items: minItems raised from 1 to 2'] }],
    ['a minItems added', body({ items: list }), body({ items: { ...list, minItems: 1 } }), { breaking: ['POST /v1/orders body.items: minItems 1 added'] }],
    ['a maxLength lowered on list entries', body({ items: { ...list, items: { ...str, maxLength: 9 } } }), body({ items: { ...list, items: { ...str, maxLength: 8 } } }), { breaking: ['POST /v1/orders body.items[]: maxLength lowered from 9 to 8'] }],
    ['an enum added', body({ channel: str }), body({ channel: { ...str, enum: ['web', 'edi'] } }), { breaking: ['POST /v1/orders body.channel: now limited to ["web","edi"]'] }],
    ['a pattern added (path)', pathParam(str), pathParam({ ...str, pattern: '^O-\\d+$' }), { breaking: ['GET /v1/orders/{id} path:id: pattern "^O-\\\\d+$" added'] }],
    ['a pattern changed', pathParam({ ...str, pattern: '^O-\\d+$' }), pathParam({ ...str, pattern: '^O-\\d{5}$' }), { breaking: ['GET /v1/orders/{id} path:id: pattern changed from "^O-\\\\d+$" to "^O-\\\\d{5}$"'] }],
    ['a multipleOf added', query(int), query({ ...int, multipleOf: 10 }), { breaking: ['GET /v1/products query:limit: multipleOf 10 added'] }],
    ['a multipleOf made coarser', query({ ...int, multipleOf: 5 }), query({ ...int, multipleOf: 10 }), { breaking: ['GET /v1/products query:limit: multipleOf changed from 5 to 10'] }],
    ['uniqueItems added', body({ items: list }), body({ items: { ...list, uniqueItems: true } }), { breaking: ['POST /v1/orders body.items: uniqueItems added'] }],
    [
      'a bound tightened inside an allOf part',
      body({ qty: { allOf: [{ $ref: '#/components/schemas/Qty' }] } }, { Qty: { ...int, maximum: 100 } }),
      body({ qty: { allOf: [{ $ref: '#/components/schemas/Qty' }] } }, { Qty: { ...int, maximum: 10 } }),
      { breaking: ['POST /v1/orders body.qty: maximum lowered from 100 to 10'] },
    ],
    [
      'a bound added beside an allOf',
      body({ qty: { allOf: [{ $ref: '#/components/schemas/Qty' }] } }, { Qty: { ...int, maximum: 100 } }),
      body({ qty: { allOf: [{ $ref: '#/components/schemas/Qty' }], maximum: 50 } }, { Qty: { ...int, maximum: 100 } }),
      { breaking: ['POST /v1/orders body.qty: maximum lowered from 100 to 50'] },
    ],
  ])('%s is breaking', (_label, before, after, expected) => expectDiff(before, after, expected));

  it.each<[string, object, object, Expected]>([
    ['a maximum raised', query({ ...int, maximum: 100 }), query({ ...int, maximum: 200 }), { additions: ['GET /v1/products query:limit: maximum raised from 100 to 200'] }],
    ['a maximum removed', query({ ...int, maximum: 100 }), query(int), { additions: ['GET /v1/products query:limit: maximum 100 removed'] }],
    ['a minimum lowered', query({ ...int, minimum: 1 }), query({ ...int, minimum: 0 }), { additions: ['GET /v1/products query:limit: minimum lowered from 1 to 0'] }],
    ['an exclusive maximum made inclusive', query({ ...int, maximum: 100, exclusiveMaximum: true }), query({ ...int, maximum: 100 }), { additions: ['GET /v1/products query:limit: maximum loosened from 100 (exclusive) to 100'] }],
    ['a maxLength raised', body({ customerId: { ...str, maxLength: 32 } }), body({ customerId: { ...str, maxLength: 64 } }), { additions: ['POST /v1/orders body.customerId: maxLength raised from 32 to 64'] }],
    ['a minLength lowered', header({ ...str, minLength: 16 }), header({ ...str, minLength: 8 }), { additions: ['POST /v1/orders header:Idempotency-Key: minLength lowered from 16 to 8'] }],
    ['a minItems removed', body({ items: { ...list, minItems: 1 } }), body({ items: list }), { additions: ['POST /v1/orders body.items: minItems 1 removed'] }],
    ['an enum widened', body({ channel: { ...str, enum: ['web'] } }), body({ channel: { ...str, enum: ['web', 'edi'] } }), { additions: ['POST /v1/orders body.channel: value "edi" now accepted'] }],
    ['an enum dropped', body({ channel: { ...str, enum: ['web'] } }), body({ channel: str }), { additions: ['POST /v1/orders body.channel: no longer limited to ["web"]'] }],
    ['a pattern removed', pathParam({ ...str, pattern: '^O-\\d+$' }), pathParam(str), { additions: ['GET /v1/orders/{id} path:id: pattern "^O-\\\\d+$" removed'] }],
    ['a multipleOf made finer', query({ ...int, multipleOf: 10 }), query({ ...int, multipleOf: 5 }), { additions: ['GET /v1/products query:limit: multipleOf changed from 10 to 5'] }],
    ['an unchanged bound moved into an allOf part', body({ qty: { ...int, maximum: 100 } }, { Qty: { ...int, maximum: 100 } }), body({ qty: { allOf: [{ $ref: '#/components/schemas/Qty' }] } }, { Qty: { ...int, maximum: 100 } }), {}],
  ])('%s is an allowed addition', (_label, before, after, expected) => expectDiff(before, after, expected));
});

describe('diffOpenApi: constraints on what the API returns (a loosening shows clients values they were promised never to see)', () => {
  const int = { type: 'integer' };
  const str = { type: 'string' };
  it.each<[string, object, object, Expected]>([
    ['a maxLength raised', reply({ id: { ...str, maxLength: 16 } }), reply({ id: { ...str, maxLength: 32 } }), { breaking: ['GET /v1/orders/{id} → 200.id: maxLength raised from 16 to 32'] }],
    ['a maxLength removed', reply({ id: { ...str, maxLength: 16 } }), reply({ id: str }), { breaking: ['GET /v1/orders/{id} → 200.id: maxLength 16 removed'] }],
    ['a minimum lowered', reply({ total: { ...int, minimum: 0 } }), reply({ total: { ...int, minimum: -1 } }), { breaking: ['GET /v1/orders/{id} → 200.total: minimum lowered from 0 to -1'] }],
    ['a minimum removed', reply({ total: { ...int, minimum: 0 } }), reply({ total: int }), { breaking: ['GET /v1/orders/{id} → 200.total: minimum 0 removed'] }],
    ['an exclusive maximum made inclusive', reply({ total: { ...int, exclusiveMaximum: 10 } }), reply({ total: { ...int, maximum: 10 } }), { breaking: ['GET /v1/orders/{id} → 200.total: maximum loosened from 10 (exclusive) to 10'] }],
    ['a maxItems raised', reply({ lines: { type: 'array', items: str, maxItems: 50 } }), reply({ lines: { type: 'array', items: str, maxItems: 100 } }), { breaking: ['GET /v1/orders/{id} → 200.lines: maxItems raised from 50 to 100'] }],
    ['a pattern removed', reply({ id: { ...str, pattern: '^O-\\d+$' } }), reply({ id: str }), { breaking: ['GET /v1/orders/{id} → 200.id: pattern "^O-\\\\d+$" removed'] }],
    ['a pattern changed', reply({ id: { ...str, pattern: '^O-\\d+$' } }), reply({ id: { ...str, pattern: '^ORD-\\d+$' } }), { breaking: ['GET /v1/orders/{id} → 200.id: pattern changed from "^O-\\\\d+$" to "^ORD-\\\\d+$"'] }],
    ['an enum widened', reply({ status: { ...str, enum: ['open'] } }), reply({ status: { ...str, enum: ['open', 'lost'] } }), { breaking: ['GET /v1/orders/{id} → 200.status: new value "lost" in a response'] }],
    ['a bound loosened in a component behind allOf', reply({ total: { allOf: [{ $ref: '#/components/schemas/N' }] } }, { N: { ...int, maximum: 9 } }), reply({ total: { allOf: [{ $ref: '#/components/schemas/N' }] } }, { N: { ...int, maximum: 99 } }), { breaking: ['GET /v1/orders/{id} → 200.total: maximum raised from 9 to 99'] }],
    ['a field made nullable beside an allOf', reply({ total: { allOf: [{ $ref: '#/components/schemas/N' }] } }, { N: int }), reply({ total: { nullable: true, allOf: [{ $ref: '#/components/schemas/N' }] } }, { N: int }), { breaking: ['GET /v1/orders/{id} → 200.total: type changed from integer to integer|null'] }],
  ])('%s is breaking', (_label, before, after, expected) => expectDiff(before, after, expected));

  it.each<[string, object, object, Expected]>([
    ['a maxLength lowered', reply({ id: { ...str, maxLength: 32 } }), reply({ id: { ...str, maxLength: 16 } }), { additions: ['GET /v1/orders/{id} → 200.id: maxLength lowered from 32 to 16'] }],
    ['a maxLength added', reply({ id: str }), reply({ id: { ...str, maxLength: 16 } }), { additions: ['GET /v1/orders/{id} → 200.id: maxLength 16 added'] }],
    ['a minimum raised', reply({ total: { ...int, minimum: 0 } }), reply({ total: { ...int, minimum: 1 } }), { additions: ['GET /v1/orders/{id} → 200.total: minimum raised from 0 to 1'] }],
    ['a pattern added', reply({ id: str }), reply({ id: { ...str, pattern: '^O-\\d+$' } }), { additions: ['GET /v1/orders/{id} → 200.id: pattern "^O-\\\\d+$" added'] }],
    ['an enum narrowed', reply({ status: { ...str, enum: ['open', 'lost'] } }), reply({ status: { ...str, enum: ['open'] } }), { additions: ['GET /v1/orders/{id} → 200.status: value "lost" no longer returned'] }],
    ['an enum added', reply({ status: str }), reply({ status: { ...str, enum: ['open'] } }), { additions: ['GET /v1/orders/{id} → 200.status: now limited to ["open"]'] }],
  ])('%s is an allowed addition', (_label, before, after, expected) => expectDiff(before, after, expected));
});

describe('diffOpenApi: response headers', () => {
  const int = { type: 'integer', minimum: 0 };
  const rate = { 'RateLimit-Limit': { description: 'per second', schema: int } };
  it.each<[string, object, object, Expected]>([
    ['a header removed', replyHeaders('200', rate), replyHeaders('200', {}), { breaking: ['GET /v1/orders → 200 header RateLimit-Limit: response header removed'] }],
    ['a header of an error answer removed', replyHeaders('429', { 'Retry-After': { schema: { type: 'integer' } } }), replyHeaders('429', {}), { breaking: ['GET /v1/orders → 429 header Retry-After: response header removed'] }],
    ['a header type changed', replyHeaders('200', rate), replyHeaders('200', { 'RateLimit-Limit': { schema: { type: 'string' } } }), { breaking: ['GET /v1/orders → 200 header RateLimit-Limit: type changed from integer to string'] }],
    ['a header bound removed', replyHeaders('200', rate), replyHeaders('200', { 'RateLimit-Limit': { schema: { type: 'integer' } } }), { breaking: ['GET /v1/orders → 200 header RateLimit-Limit: minimum 0 removed'] }],
    [
      'a header behind a $ref changed',
      replyHeaders('200', { 'RateLimit-Limit': { $ref: '#/components/headers/Limit' } }, { Limit: { schema: int } }),
      replyHeaders('200', { 'RateLimit-Limit': { $ref: '#/components/headers/Limit' } }, { Limit: { schema: { type: 'number' } } }),
      { breaking: ['GET /v1/orders → 200 header RateLimit-Limit: type changed from integer to number'] },
    ],
    ['a required header no longer required', replyHeaders('201', { Location: { required: true, schema: { type: 'string' } } }), replyHeaders('201', { Location: { schema: { type: 'string' } } }), { breaking: ['GET /v1/orders → 201 header Location: response header no longer required'] }],
    [
      'a required header behind a $ref no longer required',
      replyHeaders('429', { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } }, { RetryAfter: { required: true, schema: { type: 'integer' } } }),
      replyHeaders('429', { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } }, { RetryAfter: { required: false, schema: { type: 'integer' } } }),
      { breaking: ['GET /v1/orders → 429 header Retry-After: response header no longer required'] },
    ],
  ])('%s is breaking', (_label, before, after, expected) => expectDiff(before, after, expected));

  it.each<[string, object, object, Expected]>([
    ['a header added', replyHeaders('200', {}), replyHeaders('200', rate), { additions: ['GET /v1/orders → 200 header RateLimit-Limit: response header added'] }],
    ['a header renamed only in case', replyHeaders('200', rate), replyHeaders('200', { 'ratelimit-limit': rate['RateLimit-Limit'] }), {}],
    ['a header bound tightened', replyHeaders('200', { 'RateLimit-Limit': { schema: { type: 'integer' } } }), replyHeaders('200', rate), { additions: ['GET /v1/orders → 200 header RateLimit-Limit: minimum 0 added'] }],
    ['only the description changed', replyHeaders('200', rate), replyHeaders('200', { 'RateLimit-Limit': { ...rate['RateLimit-Limit'], description: 'reworded' } }), {}],
    ['a header that became required', replyHeaders('201', { Location: { schema: { type: 'string' } } }), replyHeaders('201', { Location: { required: true, schema: { type: 'string' } } }), { additions: ['GET /v1/orders → 201 header Location: response header now required'] }],
  ])('%s is not breaking', (_label, before, after, expected) => expectDiff(before, after, expected));
});

describe('diffOpenApi: xml objects (they name and shape the XML clients send and parse)', () => {
  const str = { type: 'string' };
  const wrappedList = (xml: object) => ({ type: 'array', xml, items: str });
  /** A page as the snapshots publish it: a wrapped list whose entries are `{ allOf: [{ $ref }], xml }`. */
  const page = (entryXml: object | undefined, order: object = { name: 'order' }, root: object = { name: 'orders' }) =>
    reply(
      { data: { type: 'array', xml: { name: 'data', wrapped: true }, items: { allOf: [{ $ref: '#/components/schemas/Order' }], ...(entryXml && { xml: entryXml }) } } },
      { Order: { type: 'object', xml: order, properties: { id: str } } },
      { xml: root },
    );
  it.each<[string, object, object, Expected]>([
    ['a request property renamed', body({ items: wrappedList({ name: 'items', wrapped: true }) }), body({ items: wrappedList({ name: 'lines', wrapped: true }) }), { breaking: ['POST /v1/orders body.items: xml name changed from "items" to "lines"'] }],
    ['a request list unwrapped', body({ items: wrappedList({ name: 'items', wrapped: true }) }), body({ items: wrappedList({ name: 'items' }) }), { breaking: ['POST /v1/orders body.items: xml wrapped changed from true to false'] }],
    ['a request property made an attribute', body({ id: str }), body({ id: { ...str, xml: { attribute: true } } }), { breaking: ['POST /v1/orders body.id: xml attribute changed from false to true'] }],
    ['an xml object added with another name', body({ sku: str }), body({ sku: { ...str, xml: { name: 'SKU' } } }), { breaking: ['POST /v1/orders body.sku: xml name changed from "sku" to "SKU"'] }],
    ['an xml object removed', body({ items: wrappedList({ name: 'lines', wrapped: true }) }), body({ items: { type: 'array', items: str } }), { breaking: ['POST /v1/orders body.items: xml name changed from "lines" to "items"', 'POST /v1/orders body.items: xml wrapped changed from true to false'] }],
    ['a list entry renamed beside its allOf', page({ name: 'item' }), page({ name: 'entry' }), { breaking: ['GET /v1/orders/{id} → 200.data[]: xml name changed from "item" to "entry"'] }],
    ['a list entry losing the xml beside its allOf', page({ name: 'item' }), page(undefined), { breaking: ['GET /v1/orders/{id} → 200.data[]: xml name changed from "item" to "order"'] }],
    ['a namespace added to the root', page({ name: 'item' }), page({ name: 'item' }, undefined, { name: 'orders', namespace: 'urn:x' }), { breaking: ['GET /v1/orders/{id} → 200: xml namespace changed from (unset) to "urn:x"'] }],
    ['a prefix added to a referenced schema', page({ name: 'item' }), page({ name: 'item' }, { name: 'order', prefix: 'o' }), { breaking: ['GET /v1/orders/{id} → 200.data[]: xml prefix changed from (unset) to "o"'] }],
    ['a root element named where none was', reply({ id: str }), reply({ id: str }, {}, { xml: { name: 'order' } }), { breaking: ['GET /v1/orders/{id} → 200: xml name changed from (unset) to "order"'] }],
  ])('%s is breaking', (_label, before, after, expected) => expectDiff(before, after, expected));

  it.each<[string, object, object, Expected]>([
    ['an xml object spelling out the defaults', body({ sku: str, items: { type: 'array', items: str } }), body({ sku: { ...str, xml: { name: 'sku', attribute: false } }, items: wrappedList({ wrapped: false }) }), {}],
    ['the referenced schema renamed where the list entry names itself', page({ name: 'item' }), page({ name: 'item' }, { name: 'purchase' }), {}],
    ['the snapshot shape compared with itself', page({ name: 'item' }), page({ name: 'item' }), {}],
  ])('%s is not a change', (_label, before, after, expected) => expectDiff(before, after, expected));
});

const str = { type: 'string' };
const int = { type: 'integer' };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
/** Served as JSON and as XML, the way partner's API serves every body: one schema under both media types. */
const both = (schema: object) => ({ 'application/json': { schema }, 'application/xml': { schema } });
const errorBodies = (schema: object) => ({ 'application/problem+json': { schema }, 'application/problem+xml': { schema } });
const order = { type: 'object', required: ['id'], properties: { id: str, total: { type: 'number' } }, xml: { name: 'order' } };
const problem = { type: 'object', required: ['type', 'requestId'], properties: { type: str, requestId: str }, xml: { name: 'problem' } };
const orderBody = (content: object, requestBody: object = {}) => ({ paths: { '/v1/orders': { post: { requestBody: { content, ...requestBody }, responses: {} } } } });
const noBody = { paths: { '/v1/orders': { post: { responses: {} } } } };
const answers = (responses: object, schemas: object = {}) => ({ paths: { '/v1/orders/{id}': { get: { responses } } }, components: { schemas } });

describe('diffOpenApi: every media type (request bodies and responses, by the rules JSON follows)', () => {
  const xmlOnly = (schema: object) => ({ ...json(order), 'application/xml': { schema } });
  it.each<[string, object, object, Expected]>([
    ['a request media type removed', orderBody(both(order)), orderBody(json(order)), { breaking: ['POST /v1/orders body (application/xml): request media type removed (a client sending it now gets 415)'] }],
    [
      'a request body removed',
      orderBody(both(order), { required: true }),
      noBody,
      {
        breaking: [
          'POST /v1/orders body (application/json): request media type removed (a client sending it now gets 415)',
          'POST /v1/orders body (application/xml): request media type removed (a client sending it now gets 415)',
        ],
      },
    ],
    ['a response media type removed', answers({ '200': { content: both(order) } }), answers({ '200': { content: json(order) } }), { breaking: ['GET /v1/orders/{id} → 200 (application/xml): response media type removed (a client asking for it now gets 406)'] }],
    [
      'an error answer no longer offered as XML',
      answers({ '404': { content: errorBodies(problem) } }),
      answers({ '404': { content: { 'application/problem+json': { schema: problem } } } }),
      { breaking: ['GET /v1/orders/{id} → 404 (application/problem+xml): response media type removed (a client asking for it now gets 406)'] },
    ],
    ['a field removed from the XML answer only', answers({ '200': { content: both(order) } }), answers({ '200': { content: xmlOnly({ ...order, properties: { id: str } }) } }), { breaking: ['GET /v1/orders/{id} → 200 (application/xml).total: response field removed'] }],
    ['a field required in the XML request only', orderBody(both(order)), orderBody(xmlOnly({ ...order, required: ['id', 'total'] })), { breaking: ['POST /v1/orders body (application/xml).total: input became required'] }],
    ['an XML element renamed in the XML request only', orderBody(both(order)), orderBody(xmlOnly({ ...order, xml: { name: 'purchase' } })), { breaking: ['POST /v1/orders body (application/xml): xml name changed from "order" to "purchase"'] }],
    [
      'a field removed from the problem both error media types share (reported once)',
      answers({ '404': { content: errorBodies(ref('Problem')) } }, { Problem: problem }),
      answers({ '404': { content: errorBodies(ref('Problem')) } }, { Problem: { ...problem, properties: { type: str } } }),
      { breaking: ['GET /v1/orders/{id} → 404.requestId: response field removed'] },
    ],
    ['a field of an error answer no longer required', answers({ '429': { content: errorBodies(problem) } }), answers({ '429': { content: errorBodies({ ...problem, required: ['type'] }) } }), { breaking: ['GET /v1/orders/{id} → 429.requestId: response field no longer required'] }],
  ])('%s is breaking', (_label, before, after, expected) => expectDiff(before, after, expected));

  it.each<[string, object, object, Expected]>([
    ['a request media type added', orderBody(json(order)), orderBody(both(order)), { additions: ['POST /v1/orders body (application/xml): request media type added'] }],
    ['a response media type added', answers({ '200': { content: json(order) } }), answers({ '200': { content: both(order) } }), { additions: ['GET /v1/orders/{id} → 200 (application/xml): response media type added'] }],
    [
      'a field added to the XML answer only',
      answers({ '200': { content: both(order) } }),
      answers({ '200': { content: xmlOnly({ ...order, properties: { ...order.properties, note: str } }) } }),
      { additions: ['GET /v1/orders/{id} → 200 (application/xml).note: response field added'] },
    ],
  ])('%s is an allowed addition', (_label, before, after, expected) => expectDiff(before, after, expected));
});

describe('diffOpenApi: response statuses (oasdiff: a removed success status is an error, a removed non-success one info)', () => {
  const ok = { '200': { content: json(order) } };
  it.each<[string, object, object, Expected]>([
    ['a success status replaced by another', answers(ok), answers({ '202': { description: 'accepted' } }), { breaking: ['GET /v1/orders/{id} → 200: response removed'], additions: ['GET /v1/orders/{id} → 202: response added'] }],
    ['a TRACE operation removed', { paths: { '/v1/orders': { trace: { responses: {} } } } }, { paths: { '/v1/orders': {} } }, { breaking: ['TRACE /v1/orders: operation removed'] }],
  ])('%s is breaking', (_label, before, after, expected) => expectDiff(before, after, expected));

  it.each<[string, object, object, Expected]>([
    ['an error answer removed', answers({ ...ok, '404': { content: errorBodies(problem) } }), answers(ok), { additions: ['GET /v1/orders/{id} → 404: non-success response removed'] }],
    ['the default answer removed', answers({ ...ok, default: { content: errorBodies(problem) } }), answers(ok), { additions: ['GET /v1/orders/{id} → default: non-success response removed'] }],
    ['an error answer added', answers(ok), answers({ ...ok, '429': { content: errorBodies(problem) } }), { additions: ['GET /v1/orders/{id} → 429: response added'] }],
  ])('%s is an allowed addition', (_label, before, after, expected) => expectDiff(before, after, expected));
});

describe('diffOpenApi: parameters (how a client writes them is part of the contract)', () => {
  const list = { type: 'array', items: str };
  const tenant = { name: 'X-Tenant', in: 'header', schema: str };
  const filter = (content: object) => ({ name: 'filter', in: 'query', content });
  const params = (parameters: object[], shared: object[] = [], components: object = {}) => ({
    paths: { '/v1/products': { parameters: shared, get: { parameters, responses: {} } } },
    components: { parameters: components },
  });
  it.each<[string, object, object, Expected]>([
    ['a query style changed', params([{ name: 'ids', in: 'query', schema: list }]), params([{ name: 'ids', in: 'query', schema: list, style: 'spaceDelimited' }]), { breaking: ['GET /v1/products query:ids: style changed from "form" to "spaceDelimited"'] }],
    ['a query list no longer exploded (form explodes by default)', params([{ name: 'ids', in: 'query', schema: list }]), params([{ name: 'ids', in: 'query', schema: list, style: 'form', explode: false }]), { breaking: ['GET /v1/products query:ids: explode changed from true to false'] }],
    ['a header list exploded (simple does not by default)', params([{ name: 'X-Ids', in: 'header', schema: list }]), params([{ name: 'X-Ids', in: 'header', schema: list, explode: true }]), { breaking: ['GET /v1/products header:X-Ids: explode changed from false to true'] }],
    ['a parameter written in another media type', params([filter(json(str))]), params([filter({ 'text/plain': { schema: str } })]), { breaking: ['GET /v1/products query:filter: serialization changed from content application/json to content text/plain'] }],
    ['a bound added to a parameter described by content', params([filter(json(str))]), params([filter(json({ ...str, maxLength: 64 }))]), { breaking: ['GET /v1/products query:filter: maxLength 64 added'] }],
    [
      'a parameter behind a $ref that became required',
      params([{ $ref: '#/components/parameters/Limit' }], [], { Limit: { name: 'limit', in: 'query', schema: int } }),
      params([{ $ref: '#/components/parameters/Limit' }], [], { Limit: { name: 'limit', in: 'query', required: true, schema: int } }),
      { breaking: ['GET /v1/products query:limit: parameter became required'] },
    ],
    ['a path-level parameter removed', params([], [tenant]), params([]), { breaking: ['GET /v1/products header:X-Tenant: parameter removed'] }],
    ['a path-level parameter that became required', params([], [tenant]), params([], [{ ...tenant, required: true }]), { breaking: ['GET /v1/products header:X-Tenant: parameter became required'] }],
  ])('%s is breaking', (_label, before, after, expected) => expectDiff(before, after, expected));

  it.each<[string, object, object, Expected]>([
    ['explode changed on a single value', params([{ name: 'limit', in: 'query', schema: int }]), params([{ name: 'limit', in: 'query', schema: int, explode: false }]), { additions: ['GET /v1/products query:limit: explode changed from true to false (a single value is written the same)'] }],
    ['a parameter that became optional', params([{ ...tenant, required: true }]), params([tenant]), { additions: ['GET /v1/products header:X-Tenant: parameter became optional'] }],
    ['a header parameter renamed only in case', params([tenant]), params([{ ...tenant, name: 'x-tenant' }]), {}],
    ['a parameter moved to the path item', params([tenant]), params([], [tenant]), {}],
    ['a path-level parameter the operation keeps optional', params([], [tenant]), params([tenant], [{ ...tenant, required: true }]), {}],
  ])('%s is not breaking', (_label, before, after, expected) => expectDiff(before, after, expected));
});

describe('diffOpenApi: request bodies', () => {
  const sharedBody = (schema: object) => ({
    paths: { '/v1/orders': { post: { requestBody: { $ref: '#/components/requestBodies/NewOrder' }, responses: {} } } },
    components: { requestBodies: { NewOrder: { required: true, content: json(schema) } } },
  });
  it.each<[string, object, object, Expected]>([
    ['a request body that became required', orderBody(json(order)), orderBody(json(order), { required: true }), { breaking: ['POST /v1/orders body: request body became required'] }],
    ['a field required in a request body behind a $ref', sharedBody(order), sharedBody({ ...order, required: ['id', 'total'] }), { breaking: ['POST /v1/orders body.total: input became required'] }],
  ])('%s is breaking', (_label, before, after, expected) => expectDiff(before, after, expected));

  it.each<[string, object, object, Expected]>([
    ['a request body that became optional', orderBody(json(order), { required: true }), orderBody(json(order)), { additions: ['POST /v1/orders body: request body became optional'] }],
    ['an optional request body added', noBody, orderBody(json(order)), { additions: ['POST /v1/orders body: optional request body added'] }],
  ])('%s is an allowed addition', (_label, before, after, expected) => expectDiff(before, after, expected));
});

describe('diffOpenApi: nullable, oneOf/anyOf, additionalProperties and $refs into schemas', () => {
  const num = { type: 'number' };
  const payments = {
    Card: { type: 'object', required: ['last4'], properties: { last4: str } },
    Invoice: { type: 'object', required: ['iban'], properties: { iban: str } },
    Voucher: { type: 'object', properties: { code: str } },
  };
  const pays = (kind: string, ...names: string[]) => ({ payment: { [kind]: names.map(ref) } });
  it.each<[string, object, object, Expected]>([
    [
      'a change below a request field made nullable',
      body({ line: { type: 'object', properties: { sku: str } } }),
      body({ line: { type: 'object', nullable: true, properties: { sku: { ...str, maxLength: 8 } } } }),
      { breaking: ['POST /v1/orders body.line.sku: maxLength 8 added'], additions: ['POST /v1/orders body.line: type changed from object to object|null'] },
    ],
    ['a new oneOf alternative in a response', reply(pays('oneOf', 'Card', 'Invoice'), payments), reply(pays('oneOf', 'Card', 'Invoice', 'Voucher'), payments), { breaking: ['GET /v1/orders/{id} → 200.payment: new oneOf alternative Voucher in a response'] }],
    [
      'a field removed inside a oneOf alternative',
      reply(pays('oneOf', 'Card', 'Invoice'), payments),
      reply(pays('oneOf', 'Card', 'Invoice'), { ...payments, Card: { ...payments.Card, properties: {} } }),
      { breaking: ['GET /v1/orders/{id} → 200.payment<oneOf Card>.last4: response field removed'] },
    ],
    ['a oneOf turned into an anyOf', reply(pays('oneOf', 'Card'), payments), reply(pays('anyOf', 'Card'), payments), { breaking: ['GET /v1/orders/{id} → 200.payment: oneOf removed', 'GET /v1/orders/{id} → 200.payment: anyOf added'] }],
    ['an anyOf alternative removed from a request', body(pays('anyOf', 'Card', 'Invoice'), payments), body(pays('anyOf', 'Card'), payments), { breaking: ['POST /v1/orders body.payment: anyOf alternative Invoice no longer accepted'] }],
    ['an inline anyOf alternative tightened in a request', body({ ref: { anyOf: [str, int] } }), body({ ref: { anyOf: [{ ...str, maxLength: 8 }, int] } }), { breaking: ['POST /v1/orders body.ref<anyOf #0>: maxLength 8 added'] }],
    ['a request map closed', body({ tags: { type: 'object', additionalProperties: str } }), body({ tags: { type: 'object', additionalProperties: false } }), { breaking: ['POST /v1/orders body.tags: additionalProperties false added'] }],
    ['the values of a request map retyped', body({ tags: { type: 'object', additionalProperties: str } }), body({ tags: { type: 'object', additionalProperties: int } }), { breaking: ['POST /v1/orders body.tags{}: type changed from string to integer'] }],
    [
      'a response object opened',
      reply({ totals: { type: 'object', properties: { net: num }, additionalProperties: false } }),
      reply({ totals: { type: 'object', properties: { net: num } } }),
      { breaking: ['GET /v1/orders/{id} → 200.totals: additionalProperties false removed'] },
    ],
    ['a bound loosened on the values of a response map', reply({ labels: { type: 'object', additionalProperties: { ...str, maxLength: 8 } } }), reply({ labels: { type: 'object', additionalProperties: { ...str, maxLength: 16 } } }), { breaking: ['GET /v1/orders/{id} → 200.labels{}: maxLength raised from 8 to 16'] }],
    [
      'a schema behind a $ref into another schema loosened',
      reply({ total: { $ref: '#/components/schemas/Order/properties/total' } }, { Order: { type: 'object', properties: { total: { ...num, minimum: 0 } } } }),
      reply({ total: { $ref: '#/components/schemas/Order/properties/total' } }, { Order: { type: 'object', properties: { total: num } } }),
      { breaking: ['GET /v1/orders/{id} → 200.total: minimum 0 removed'] },
    ],
  ])('%s is breaking', (_label, before, after, expected) => expectDiff(before, after, expected));

  it.each<[string, object, object, Expected]>([
    ['a request field made nullable', body({ note: str }), body({ note: { ...str, nullable: true } }), { additions: ['POST /v1/orders body.note: type changed from string to string|null'] }],
    ['a response field no longer nullable', reply({ note: { ...str, nullable: true } }), reply({ note: str }), { additions: ['GET /v1/orders/{id} → 200.note: type changed from string|null to string'] }],
    ['a oneOf alternative no longer returned', reply(pays('oneOf', 'Card', 'Invoice'), payments), reply(pays('oneOf', 'Card'), payments), { additions: ['GET /v1/orders/{id} → 200.payment: oneOf alternative Invoice no longer returned'] }],
    ['an anyOf alternative now accepted', body(pays('anyOf', 'Card'), payments), body(pays('anyOf', 'Card', 'Invoice'), payments), { additions: ['POST /v1/orders body.payment: anyOf alternative Invoice now accepted'] }],
    ['a request map opened', body({ tags: { type: 'object', additionalProperties: false } }), body({ tags: { type: 'object' } }), { additions: ['POST /v1/orders body.tags: additionalProperties false removed'] }],
    ['the values of a response map typed', reply({ labels: { type: 'object', additionalProperties: true } }), reply({ labels: { type: 'object', additionalProperties: str } }), { additions: ['GET /v1/orders/{id} → 200.labels: additionalProperties schema added'] }],
  ])('%s is an allowed addition', (_label, before, after, expected) => expectDiff(before, after, expected));
});

describe('diffOpenApi: recursive schemas', () => {
  /** A category tree: each node refers to its own schema through two properties. */
  const tree = (nameType: string) =>
    reply(
      { root: { $ref: '#/components/schemas/Category' } },
      {
        Category: {
          type: 'object',
          properties: {
            name: { type: nameType },
            children: { type: 'array', items: { $ref: '#/components/schemas/Category' } },
            parent: { $ref: '#/components/schemas/Category' },
          },
        },
      },
    );

  it('a schema that refers to itself is compared once per level, quickly, and its changes are still found', () => {
    const started = performance.now();
    expectDiff(tree('string'), tree('string'), {});
    expectDiff(tree('string'), tree('integer'), {
      breaking: ['GET /v1/orders/{id} → 200.root.name: type changed from string to integer'],
    });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
