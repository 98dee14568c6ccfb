import { ApiSchema, getSchemaPath, type ApiSchemaOptions, type XmlObject } from '@nestjs/swagger';

/**
 * The XML the gateway writes and reads (libs/translator `encodeXml`, the route's `@XmlRoot`, the order body
 * interceptor), as OpenAPI 3.0 XML objects: a root element named by the route (`<products>`, `<orders>`, `<order>`,
 * `<usage>`, `<problem>`), every property an element of its own name, and every array wrapped in its property's element
 * with one `<item>` per entry (problem `errors`: one `<i>` each). Without them the documents would promise OpenAPI's
 * defaults — a root named after the schema (`<V2NewOrder>`) and unwrapped arrays — which the API neither sends nor accepts.
 */

/** The element of every entry of a list (`<data><item>…</item></data>`, `<items><item>…</item></items>`). */
export const XML_ITEM = 'item';

/** RFC 9457 Appendix B: problem+xml is in this namespace, with the `errors` entries as `<i>` elements. */
export const PROBLEM_XML: XmlObject = { name: 'problem', namespace: 'urn:ietf:rfc:7807' };

/** An array property as the gateway writes it: wrapped in an element of the property's own name. */
export const wrappedXml = (name: string): XmlObject => ({ name, wrapped: true });

/**
 * `@ApiSchema` with the schema's XML object: its element name as a root (or as a list entry). @nestjs/swagger 11 copies
 * every `@ApiSchema` option but `name` onto the component schema, though its typings name only `description`.
 */
export const ApiXmlSchema = (options: ApiSchemaOptions & { readonly xml: XmlObject }) => ApiSchema(options);

/**
 * The `items` of a list whose entries are a schema that is a root element elsewhere (an order is `<order>` when it is
 * the answer, `<item>` in a page of orders): `$ref` siblings are ignored in OpenAPI 3.0, so the entry's own element
 * name needs a one-part `allOf`.
 */
export const xmlListEntry = (model: abstract new (...args: never[]) => unknown) => ({
  allOf: [{ $ref: getSchemaPath(model) }],
  xml: { name: XML_ITEM },
});
