import type { OpenAPIObject } from '@nestjs/swagger';
import { versionDocument } from './openapi.documents';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const answer = (name: string) => ({ description: 'ok', content: { 'application/json': { schema: ref(name) } } });

/** The document of the whole app, as the scanner gives it: both versions, plus routes that are not part of either. */
const full = {
  openapi: '3.0.0',
  info: { title: 'Frontdoor partner API', version: '' },
  paths: {
    '/v2/products': { get: { responses: { '200': answer('V2ProductPage') } } },
    '/v1/products': { get: { responses: { '200': answer('V1ProductPage') } } },
    '/v1/usage': { get: { responses: { '200': answer('Usage'), '401': answer('Problem') } } },
    '/v2/usage': { get: { responses: { '200': answer('Usage') } } },
    '/health/live': { get: { responses: { '200': answer('Health') } } },
    '/v10/products': { get: { responses: { '200': answer('V10Product') } } },
  },
  components: {
    securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
    schemas: {
      V1ProductPage: { type: 'object', properties: { data: { type: 'array', items: ref('V1Product') } } },
      V1Product: { type: 'object', properties: { sku: { type: 'string' } } },
      V2ProductPage: { type: 'object', properties: { data: { type: 'array', items: ref('V2Product') } } },
      V2Product: { type: 'object', properties: { price: ref('V2Money') } },
      V2Money: { type: 'object', properties: { amount: { type: 'number' } } },
      Usage: { type: 'object' },
      Problem: { type: 'object' },
      Health: { type: 'object' },
      V10Product: { type: 'object' },
    },
  },
} as unknown as OpenAPIObject;

type Responses = Record<string, { headers?: object }>;
const RATE = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];
const LIMITS = [...RATE, 'Quota-Limit', 'Quota-Remaining'];
const LIFECYCLE = ['Deprecation', 'Sunset', 'Link'];
const withOwnHeader = {
  ...full,
  paths: {
    '/v2/usage': {
      get: {
        responses: { '200': { ...answer('Usage'), headers: { 'Cache-Control': { description: 'own' } } } },
      },
    },
  },
} as unknown as OpenAPIObject;

describe('versionDocument', () => {
  it.each([
    ['v1', ['/v1/products', '/v1/usage'], ['Problem', 'Usage', 'V1Product', 'V1ProductPage']],
    ['v2', ['/v2/products', '/v2/usage'], ['Usage', 'V2Money', 'V2Product', 'V2ProductPage']],
  ] as const)('%s: its own paths only (sorted), the schemas they reach (transitively) and nothing else', (version, paths, schemas) => {
    const doc = versionDocument(full, version);
    expect(Object.keys(doc.paths)).toEqual(paths);
    expect(Object.keys(doc.components?.schemas ?? {})).toEqual(schemas);
    expect(doc.security).toEqual([{ apiKey: [] }]);
    expect(doc.components?.securitySchemes).toEqual(full.components?.securitySchemes);
    expect(doc.info).toMatchObject({ title: `Frontdoor partner API ${version}`, version: version.slice(1) });
  });

  it('marks every v1 operation deprecated, and no v2 operation', () => {
    expect(versionDocument(full, 'v1').paths['/v1/products']?.get?.deprecated).toBe(true);
    expect(versionDocument(full, 'v2').paths['/v2/products']?.get?.deprecated).toBeUndefined();
  });

  it('declares the headers every answer carries, besides its own: limits on successes, v1 lifecycle on all v1', () => {
    const v1 = versionDocument(full, 'v1').paths['/v1/usage']?.get?.responses as Responses;
    expect(Object.keys(v1['200']?.headers ?? {})).toEqual(['X-Request-Id', ...LIMITS, ...LIFECYCLE]);
    expect(Object.keys(v1['401']?.headers ?? {})).toEqual(['X-Request-Id', ...LIFECYCLE]);
    const v2 = versionDocument(withOwnHeader, 'v2').paths['/v2/usage']?.get?.responses as Responses;
    expect(v2['200']?.headers).toEqual({
      'Cache-Control': { description: 'own' },
      'X-Request-Id': expect.anything(),
      ...Object.fromEntries(LIMITS.map((h) => [h, expect.anything()])),
    });
  });

  it('leaves the document of the whole app untouched', () => {
    const before = JSON.stringify([full, withOwnHeader]);
    versionDocument(full, 'v1');
    versionDocument(withOwnHeader, 'v2');
    expect(JSON.stringify([full, withOwnHeader])).toBe(before);
  });
});
