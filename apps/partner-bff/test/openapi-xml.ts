type Json = Record<string, unknown>;
interface XmlObject {
  name?: string;
  namespace?: string;
  wrapped?: boolean;
}
interface Schema {
  type?: string;
  $ref?: string;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  items?: Schema;
  xml?: XmlObject;
}

const COMPONENT = '#/components/schemas/';

/**
 * A schema with its `$ref` (and a one-part `allOf`) followed, keeping the XML object closest to the use: the
 * wrapper's over the referenced schema's (OpenAPI 3.0 §XML Object). `component` is the name of the last schema
 * referenced, the root element's default name.
 */
function resolve(doc: Json, schema: Schema, component?: string): { schema: Schema; component?: string } {
  if (schema.$ref) {
    const name = schema.$ref.slice(COMPONENT.length);
    const target = ((doc['components'] as Json)['schemas'] as Record<string, Schema>)[name];
    if (!target) throw new Error(`the document has no schema ${name}`);
    return resolve(doc, target, name);
  }
  if (schema.allOf?.length === 1) {
    const inner = resolve(doc, schema.allOf[0] as Schema, component);
    return {
      schema: { ...inner.schema, xml: { ...inner.schema.xml, ...schema.xml } },
      component: inner.component,
    };
  }
  return { schema, component };
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The content of one element of `schema` holding `value` (a JSON value). */
function content(doc: Json, schema: Schema, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return escape(String(value));
  const { properties = {} } = resolve(doc, schema).schema;
  return Object.entries(value as Json)
    .map(([name, child]) => {
      const property = properties[name];
      if (!property) throw new Error(`the document does not describe the field ${name}`);
      return elements(doc, property, name, child);
    })
    .join('');
}

/** The element(s) a property named `name` becomes: OpenAPI 3.0 defaults unless the document's XML objects say otherwise. */
function elements(doc: Json, property: Schema, name: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  const { schema } = resolve(doc, property);
  if (schema.type === 'array') {
    const items = schema.items ?? {};
    const itemName = resolve(doc, items).schema.xml?.name ?? name; // unnamed items repeat the property's name
    const list = (value as unknown[])
      .map((entry) => `<${itemName}>${content(doc, items, entry)}</${itemName}>`)
      .join('');
    if (!schema.xml?.wrapped) return list;
    const wrapper = schema.xml.name ?? name;
    return `<${wrapper}>${list}</${wrapper}>`;
  }
  const element = schema.xml?.name ?? name;
  return `<${element}>${content(doc, property, value)}</${element}>`;
}

/**
 * `value` written as XML by the rules of the OpenAPI document alone — what a client generated from the document sends
 * or expects: the root element named by the schema's `xml.name` (else its component name) in its `xml.namespace`,
 * properties as elements, arrays by their `xml` objects (unwrapped and named after the property by default).
 */
export function xmlFromDocument(doc: Json, schema: Schema, value: unknown): string {
  const { schema: root, component } = resolve(doc, schema);
  const name = root.xml?.name ?? component;
  if (!name) throw new Error('an inline root schema needs an xml.name');
  const namespace = root.xml?.namespace === undefined ? '' : ` xmlns="${root.xml.namespace}"`;
  return `<?xml version="1.0" encoding="UTF-8"?><${name}${namespace}>${content(doc, schema, value)}</${name}>`;
}
