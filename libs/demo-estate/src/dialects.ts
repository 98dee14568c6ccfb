import { STATUS_CODES } from 'node:http';
import { XMLBuilder } from 'fast-xml-parser';
import { JSON_TYPE, type Reply } from './http-kit';

/**
 * How a service speaks: its problem documents and what "garbage" looks like in its format. The estate's backends
 * deliberately differ (PRODUCT.md): payroll speaks XML, everyone else JSON.
 */
export interface Dialect {
  readonly name: 'json' | 'xml';
  problem(status: number, detail: string): Reply;
  /** A 200 whose body is cut off mid-document, with the dialect's normal content type. */
  garbage(): Reply;
}

export const XML_TYPE = 'application/xml; charset=utf-8';
export const PROBLEM_XML_TYPE = 'application/problem+xml; charset=utf-8';
const PROBLEM_JSON_TYPE = 'application/problem+json; charset=utf-8';
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

const builder = new XMLBuilder({}); // escapes &, <, >, ", ' in values by default

/** An XML document with declaration; values are escaped by fast-xml-parser's builder. */
export function toXml(document: Record<string, unknown>): string {
  return `${XML_DECLARATION}${builder.build(document) as string}`;
}

function problemFields(status: number, detail: string) {
  return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail };
}

export const JSON_DIALECT: Dialect = {
  name: 'json',
  problem: (status, detail) => ({
    status,
    contentType: PROBLEM_JSON_TYPE,
    body: JSON.stringify(problemFields(status, detail)),
  }),
  garbage: () => ({ status: 200, contentType: JSON_TYPE, body: '{"items": [{"sku": ' }),
};

export const XML_DIALECT: Dialect = {
  name: 'xml',
  problem: (status, detail) => ({
    status,
    contentType: PROBLEM_XML_TYPE,
    body: toXml({ problem: problemFields(status, detail) }),
  }),
  garbage: () => ({ status: 200, contentType: XML_TYPE, body: '<salary><base>1</sal' }),
};
