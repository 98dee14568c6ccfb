import { Injectable, type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject, type OperationObject } from '@nestjs/swagger';
import { answerHeaders } from './response-headers.docs';

/** The published versions of the partner API, oldest first. */
export const API_VERSIONS = ['v1', 'v2'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

export const API_KEY_SCHEME = 'apiKey';

const DESCRIPTION: Readonly<Record<ApiVersion, string>> = {
  v1: 'Deprecated: every answer carries `Deprecation`, `Sunset` and a `Link` to its v2 successor. Migrate to v2.',
  v2: 'Money as `{amount, currency}`, availability instead of stock counts.',
};

const BASE = new DocumentBuilder()
  .setTitle('Frontdoor partner API')
  .setDescription(
    'JSON by default, XML with `Accept: application/xml` (errors too, as RFC 9457 problem details). ' +
      'Authenticate with your API key in the `X-API-Key` header; your plan limits requests per second and per day ' +
      '(`RateLimit-*` and `Quota-*` headers). Orders are placed with an `Idempotency-Key`: a retry never creates a second order.',
  )
  .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Your partner API key.' }, API_KEY_SCHEME)
  .build();

type Json = Record<string, unknown>;

function sortedObject<T>(entries: [string, T][]): Record<string, T> {
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Names of the component schemas `value` refers to, transitively. */
function reachableSchemas(value: unknown, schemas: Readonly<Record<string, unknown>>): Set<string> {
  const found = new Set<string>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) pending.push(...node);
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node as Json)) {
        if (key === '$ref' && typeof child === 'string' && child.startsWith('#/components/schemas/')) {
          const name = child.slice('#/components/schemas/'.length);
          if (!found.has(name)) {
            found.add(name);
            pending.push(schemas[name]);
          }
        } else pending.push(child);
      }
    }
  }
  return found;
}

/** An operation whose every answer declares the headers it carries ({@link answerHeaders}), besides its own. Pure. */
function withAnswerHeaders(op: OperationObject, deprecated: boolean): OperationObject {
  const responses = Object.entries(op.responses ?? {}).map(([status, response]) => {
    if (response === undefined || '$ref' in response) return [status, response];
    const own = response.headers ?? {};
    const added = Object.entries(answerHeaders(status, deprecated)).filter(([name]) => !(name in own));
    return [status, { ...response, headers: { ...own, ...Object.fromEntries(added) } }];
  });
  return { ...op, responses: Object.fromEntries(responses) as OperationObject['responses'] };
}

/**
 * One published version out of the document of the whole app: its paths only (sorted), the schemas they reach and
 * nothing else, the API key required on every operation, the headers every answer carries declared on it; v1's
 * operations are marked deprecated. Pure.
 */
export function versionDocument(full: OpenAPIObject, version: ApiVersion): OpenAPIObject {
  const prefix = `/${version}/`;
  const paths = sortedObject(
    Object.entries(full.paths)
      .filter(([path]) => path.startsWith(prefix))
      .map(([path, item]): [string, typeof item] => {
        const deprecated = version === 'v1';
        const documented = Object.fromEntries(
          Object.entries(item).map(([method, op]) => {
            const answered = withAnswerHeaders(op as OperationObject, deprecated);
            return [method, deprecated ? { ...answered, deprecated: true } : answered];
          }),
        );
        return [path, documented as typeof item];
      }),
  );
  const allSchemas = (full.components?.schemas ?? {}) as Record<string, unknown>;
  const used = reachableSchemas(paths, allSchemas);
  return {
    openapi: full.openapi,
    info: { title: `${full.info.title} ${version}`, version: version.slice(1), description: DESCRIPTION[version] },
    security: [{ [API_KEY_SCHEME]: [] }],
    paths,
    components: {
      securitySchemes: full.components?.securitySchemes ?? {},
      schemas: sortedObject(Object.entries(allSchemas).filter(([name]) => used.has(name))) as never,
    },
  };
}

/** What `/v1/openapi.json` and `/v2/openapi.json` serve: built and serialized once, at start. */
@Injectable()
export class OpenApiDocuments {
  private published: Readonly<Record<ApiVersion, { readonly document: OpenAPIObject; readonly json: string }>> | undefined;

  /** Scans the app's controllers once (before it listens) and keeps each version's document, serialized. */
  publish(app: INestApplication): void {
    const full = SwaggerModule.createDocument(app, BASE);
    const entry = (version: ApiVersion) => {
      const document = versionDocument(full, version);
      return Object.freeze({ document, json: JSON.stringify(document) });
    };
    this.published = Object.freeze({ v1: entry('v1'), v2: entry('v2') });
  }

  /** @throws Error when called before `publish` (a wiring mistake: the app publishes before it listens) */
  get(version: ApiVersion): { readonly document: OpenAPIObject; readonly json: string } {
    if (!this.published) throw new Error('OpenAPI documents are not published yet');
    return this.published[version];
  }
}
