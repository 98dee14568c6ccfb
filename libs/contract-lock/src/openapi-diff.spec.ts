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
