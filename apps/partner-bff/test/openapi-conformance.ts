type Json = Record<string, unknown>;
interface Schema {
  type?: string;
  $ref?: string;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
}

/**
 * Where `value` (a live JSON answer) departs from `schema` in `doc`: a field the document does not name, a required
 * field missing, a value of another type or outside its enum. An empty list means the answer is exactly documented.
 */
export function departures(doc: Json, schema: Schema | undefined, value: unknown, at = '$'): string[] {
  const resolved = resolve(doc, schema);
  if (!resolved) return [`${at}: not documented`];
  const type = resolved.type ?? (resolved.properties ? 'object' : undefined);
  if (resolved.enum && !resolved.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(resolved.enum)}`];
  switch (type) {
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
      const found: string[] = [];
      for (const name of resolved.required ?? []) if (!(name in value)) found.push(`${at}.${name}: required but missing`);
      for (const [name, child] of Object.entries(value)) {
        const property = resolved.properties?.[name];
        found.push(...(property ? departures(doc, property, child, `${at}.${name}`) : [`${at}.${name}: not documented`]));
      }
      return found;
    }
    case 'array':
      return Array.isArray(value) ? value.flatMap((item, i) => departures(doc, resolved.items, item, `${at}[${i}]`)) : [`${at}: not an array`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: ${JSON.stringify(value)} is not an integer`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: ${JSON.stringify(value)} is not a number`];
    case 'string':
      return typeof value === 'string' ? [] : [`${at}: ${JSON.stringify(value)} is not a string`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: ${JSON.stringify(value)} is not a boolean`];
    default:
      return [`${at}: the document gives no type`];
  }
}

function resolve(doc: Json, schema: Schema | undefined): Schema | undefined {
  if (schema?.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolve(doc, ((doc['components'] as Json)['schemas'] as Record<string, Schema>)[name]);
  }
  if (schema?.allOf?.length === 1) return resolve(doc, { ...schema, allOf: undefined, ...resolve(doc, schema.allOf[0]) });
  return schema;
}
