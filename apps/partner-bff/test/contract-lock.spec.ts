import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffOpenApi, formatDiff } from '@frontdoor/contract-lock';
import { API_VERSIONS, OpenApiDocuments, type ApiVersion } from '../src/openapi/openapi.documents';
import { createIdlePartnerBff } from './partner-test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- edits of a JSON copy

/** `UPDATE_CONTRACTS=1` rewrites the committed snapshots from the code (a deliberate publication; see README). */
const UPDATE = process.env['UPDATE_CONTRACTS'] === '1';
const lockFile = (version: ApiVersion) => join(__dirname, '..', 'contracts', `${version}.openapi.json`);

/**
 * The published contract of each version is locked: the document the code generates now is compared with the
 * committed snapshot. A breaking change fails with a readable list; additions pass and are printed.
 */
describe('partner API contract lock', () => {
  const generated = {} as Record<ApiVersion, Json>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const idle = await createIdlePartnerBff();
    close = idle.close;
    for (const version of API_VERSIONS) generated[version] = idle.app.nest.get(OpenApiDocuments).get(version).document as Json;
  });
  afterAll(async () => close?.());

  it.each(API_VERSIONS)('%s: the generated document keeps every promise of the committed snapshot', (version) => {
    const current = generated[version];
    if (UPDATE) {
      writeFileSync(lockFile(version), `${JSON.stringify(current, null, 2)}\n`);
      console.info(`contract lock: wrote ${lockFile(version)}`);
      return;
    }
    const locked = JSON.parse(readFileSync(lockFile(version), 'utf8')) as Json;
    const diff = diffOpenApi(locked, current);
    if (diff.breaking.length > 0) {
      throw new Error(
        `\n${formatDiff(version, diff)}\n\nPartners built against ${version} would break. Keep the contract (add a new version ` +
          `for the change), or — only if ${version} was never published — refresh the lock: npm run contracts:update`,
      );
    }
    if (diff.additions.length > 0) console.info(`${formatDiff(version, diff)}\n(refresh the lock to publish them: npm run contracts:update)`);
  });

  const schema = (doc: Json, name: string) => doc['components']['schemas'][name] as Json;
  const body = (doc: Json, path: string) => doc['paths'][path]['post']['requestBody']['content']['application/json']['schema'] as Json;
  const refName = (ref: Json) => String(ref['$ref']).replace('#/components/schemas/', '');

  it.each<[string, ApiVersion, (doc: Json) => void, RegExp]>([
    ['a response field removed', 'v1', (d) => delete schema(d, 'V1Product')['properties']['stock'], /GET \/v1\/products → 200\.data\[\]\.stock: response field removed/],
    ['a nested response field removed', 'v2', (d) => delete schema(d, 'V2Money')['properties']['currency'], /\.price\.currency: response field removed/],
    ['a field type changed', 'v1', (d) => (schema(d, 'V1Product')['properties']['price']['type'] = 'string'), /\.price: type changed from number to string/],
    ['an integer becoming a number', 'v2', (d) => (schema(d, 'V2Page')['properties']['total']['type'] = 'number'), /\.page\.total: type changed from integer to number/],
    ['a response removed', 'v2', (d) => delete d['paths']['/v2/orders/{id}']['get']['responses']['200'], /GET \/v2\/orders\/\{id\} → 200: response removed/],
    ['an operation removed', 'v1', (d) => delete d['paths']['/v1/orders/{id}'], /GET \/v1\/orders\/\{id\}: operation removed/],
    [
      'a new required body field',
      'v1',
      (d) => {
        const order = schema(d, refName(body(d, '/v1/orders')));
        order['properties']['channel'] = { type: 'string' };
        order['required'].push('channel');
      },
      /POST \/v1\/orders body\.channel: new required input/,
    ],
    [
      'a new required query parameter',
      'v2',
      (d) => d['paths']['/v2/products']['get']['parameters'].push({ name: 'region', in: 'query', required: true, schema: { type: 'string' } }),
      /GET \/v2\/products query:region: new required parameter/,
    ],
    [
      'an optional parameter becoming required',
      'v2',
      (d) => (d['paths']['/v2/orders']['get']['parameters'].find((p: Json) => p['name'] === 'limit')['required'] = true),
      /GET \/v2\/orders query:limit: parameter became required/,
    ],
    ['a value no longer accepted', 'v1', (d) => (schema(d, 'V1NewOrderLine')['properties']['quantity']['type'] = 'string'), /quantity: type changed from integer to string/],
  ])('catches a deliberately broken copy: %s (%s)', (_label, version, breakIt, expected) => {
    const broken = structuredClone(generated[version]);
    breakIt(broken);
    const diff = diffOpenApi(generated[version], broken);
    expect(diff.breaking.join('\n')).toMatch(expected);
    expect(formatDiff(version, diff)).toMatch(/^Breaking changes to the published v\d contract \(\d+\):\n {2}✗ /);
  });

  it('lets additions through: a new optional response field and a new operation are not breaking', () => {
    const grown = structuredClone(generated.v2);
    schema(grown, 'V2Product')['properties']['brand'] = { type: 'string' };
    grown['paths']['/v2/invoices'] = { get: { responses: { '200': { description: 'ok' } } } };
    const diff = diffOpenApi(generated.v2, grown);
    expect(diff.breaking).toEqual([]);
    expect(diff.additions).toEqual(expect.arrayContaining([expect.stringMatching(/\.brand: response field added/), 'GET /v2/invoices: operation added']));
  });
});
