/**
 * Sparse fieldsets (`?fields=sku,name,price`): a client names the top-level fields it wants from a shape, and only
 * those are sent. Pure functions; a shape's parser is built once, at start, from its field list.
 */

/** The outcome of reading a `fields` value: the selected fields, or the names that are not fields of the shape. */
export type Fieldset<K extends string> = { readonly fields: readonly K[] } | { readonly unknown: readonly string[] };

/** Unknown names are echoed in the 400 only when they look like field names (never arbitrary client input). */
const ECHOABLE = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/**
 * A parser of `fields` values for a shape whose fields are `allowed`. The answer lists the selected fields in the
 * shape's own order, once each, whatever order or repetition the client used, so equal selections give equal
 * answers (and ETags). An empty entry (`fields=`, `fields=sku,,name`) is not a field.
 */
export function fieldsetParser<K extends string>(allowed: readonly K[]): (raw: string) => Fieldset<K> {
  const position: ReadonlyMap<string, number> = new Map(allowed.map((field, i) => [field, i]));
  return (raw) => {
    const names = raw.split(',').map((name) => name.trim());
    const unknown = names.filter((name) => !position.has(name));
    if (unknown.length > 0) return { unknown: [...new Set(unknown.map((name) => (name === '' || ECHOABLE.test(name) ? name : '…')))] };
    const chosen = new Set(names as K[]);
    return { fields: allowed.filter((field) => chosen.has(field)) };
  };
}

/** The 400 message for an unknown field: names the allowed fields (and the unknown ones, when readable). */
export function fieldsetMessage(allowed: readonly string[], unknown: readonly string[]): string {
  return `fields may name only: ${allowed.join(', ')} (unknown: ${unknown.map((name) => (name === '' ? '(empty)' : name)).join(', ')})`;
}

/** Copies only the named fields that `value` has (a field the value lacks is left out, not set to undefined). */
export function projectFields<T extends object, K extends keyof T>(value: T, fields: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const field of fields) {
    if (Object.hasOwn(value, field)) out[field] = value[field];
  }
  return out;
}
