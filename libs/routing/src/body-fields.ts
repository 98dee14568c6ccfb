import { ProblemError } from '@frontdoor/errors';

/**
 * The fields a body row accepts, compiled once at start from its `bodyFields`: `customerId:string` (a leaf and the
 * JSON type its value must have), `items[].sku:string` (`items` an array of objects carrying only the fields named
 * under it), `address.city:string` (`address` an object). Every leaf names its type — string, integer, number or
 * boolean — so that nothing but a scalar of that type reaches the upstream: an object where a string was meant
 * (`{"$gt": ""}`) is a query-operator injection in more than one backend, and the gateway is where the row's author
 * says what a field is.
 */
export type BodyShape = ReadonlyMap<string, BodyField>;
export type LeafType = 'string' | 'integer' | 'number' | 'boolean';
/**
 * A leaf and its type; else the fields of the object (`list: false`) or of each element of the array. `required`: a
 * leaf whose type ends in `!` (`customerId:string!`), and every field on the way to one (`items[].sku:string!`:
 * `items` must be there, and each of its elements must carry `sku`).
 */
type BodyField =
  | { readonly leaf: LeafType; readonly required: boolean }
  | { readonly list: boolean; readonly shape: BodyShape; readonly required: boolean };
type MutableField =
  | { readonly leaf: LeafType; readonly required: boolean }
  | { readonly list: boolean; readonly shape: MutableShape; required: boolean };
type MutableShape = Map<string, MutableField>;

const SEGMENT = /^([^.[\]:]+)(\[\])?$/;
const LEAF_TYPES: Readonly<
  Record<LeafType, { readonly test: (value: unknown) => boolean; readonly as: string }>
> = {
  string: { test: (value) => typeof value === 'string', as: 'a string' },
  integer: { test: (value) => Number.isSafeInteger(value), as: 'an integer' },
  number: { test: (value) => typeof value === 'number' && Number.isFinite(value), as: 'a number' },
  boolean: { test: (value) => typeof value === 'boolean', as: 'true or false' },
};
/** Unnamed fields echoed in a 400 (the sixth only shows there are more). */
const MAX_ECHOED = 5;

function isLeafType(name: string): name is LeafType {
  return Object.hasOwn(LEAF_TYPES, name);
}

/** @throws Error naming the bad entry (the table check reports it as the row's `invalid-option`) */
export function compileBodyFields(names: readonly string[]): BodyShape {
  const root: MutableShape = new Map();
  for (const name of names) {
    const bad = (why: string) => new Error(`body field ${JSON.stringify(name)} ${why}`);
    const colon = name.lastIndexOf(':');
    const required = name.endsWith('!');
    const type = colon === -1 ? undefined : name.slice(colon + 1, required ? -1 : undefined);
    const segments = (colon === -1 ? name : name.slice(0, colon)).split('.');
    let level = root;
    segments.forEach((segment, i) => {
      const [, key, brackets] = SEGMENT.exec(segment) ?? [];
      if (key === undefined)
        throw bad('must be field names joined by "." (a list as "name[]"), then ":" and a type');
      const field = level.get(key);
      if (i === segments.length - 1) {
        if (brackets !== undefined) throw bad('ends in "[]": name the fields of its elements');
        if (type === undefined)
          throw bad('names no type: end it in ":string", ":integer", ":number" or ":boolean"');
        if (!isLeafType(type)) throw bad('has an unknown type: string, integer, number or boolean');
        if (level.has(key))
          throw bad(
            field !== undefined && 'leaf' in field
              ? 'is named twice'
              : 'is named both alone and with fields under it',
          );
        level.set(key, { leaf: type, required });
        return;
      }
      if (field !== undefined && 'leaf' in field) throw bad('is named both alone and with fields under it');
      if (field !== undefined && field.list !== (brackets !== undefined))
        throw bad('is named both as an array and as an object');
      const next = field ?? { list: brackets !== undefined, shape: new Map(), required: false };
      if (required) next.required = true;
      level.set(key, next);
      level = next.shape;
    });
  }
  return root;
}

/**
 * A body row forwards a JSON object with the fields it names and nothing else, at any depth it names (mass
 * assignment: an order's `partnerId`, a line's `unitPrice`), each leaf of its type, and every field it marks
 * required (`!`). Names are echoed JSON-quoted and cut short: they are the client's own input.
 * @throws ProblemError `bad-request` (400): not a JSON object, a field with names under it that is not an object (an
 *   array of objects for `[]`), a leaf of another type (`null` included), fields the row does not name, or required
 *   fields missing
 */
export function refuseBadBodyFields(body: unknown, shape: BodyShape): void {
  const unnamed: string[] = [];
  const missing: string[] = [];
  collectBadFields(objectAt(body, undefined), shape, '', unnamed, missing);
  if (unnamed.length > 0) {
    throw new ProblemError(
      'bad-request',
      `The request body has fields this route does not accept: ${echoed(unnamed)}.`,
    );
  }
  if (missing.length > 0)
    throw new ProblemError('bad-request', `The request body lacks required fields: ${echoed(missing)}.`);
}

/** At most {@link MAX_ECHOED} field paths, JSON-quoted and cut short (they may be the client's own input). */
function echoed(paths: readonly string[]): string {
  const names = paths.slice(0, MAX_ECHOED).map((field) => JSON.stringify(field.slice(0, 64)));
  return `${names.join(', ')}${paths.length > MAX_ECHOED ? ', …' : ''}`;
}

/**
 * One walk of the body: the fields `shape` does not name (`found`), the required ones it lacks (`missing`, this
 * level's before those of the objects under it), and a 400 at once for a value of the wrong kind.
 */
function collectBadFields(
  value: object,
  shape: BodyShape,
  at: string,
  found: string[],
  missing: string[],
): void {
  for (const [key, field] of shape) {
    if (field.required && !Object.hasOwn(value, key) && missing.length <= MAX_ECHOED) missing.push(at + key);
  }
  for (const [key, child] of Object.entries(value)) {
    if (found.length > MAX_ECHOED) return;
    const path = at + key;
    if (!shape.has(key)) {
      found.push(path);
      continue;
    }
    const field = shape.get(key) as BodyField;
    if ('leaf' in field) {
      const type = LEAF_TYPES[field.leaf];
      if (!type.test(child)) {
        throw new ProblemError(
          'bad-request',
          `The request body field ${JSON.stringify(path)} must be ${type.as}.`,
        );
      }
      continue;
    }
    if (!field.list) {
      collectBadFields(objectAt(child, path), field.shape, `${path}.`, found, missing);
      continue;
    }
    if (!Array.isArray(child)) {
      throw new ProblemError(
        'bad-request',
        `The request body field ${JSON.stringify(path)} must be an array of objects.`,
      );
    }
    child.forEach((element, i) =>
      collectBadFields(objectAt(element, `${path}[${i}]`), field.shape, `${path}[${i}].`, found, missing),
    );
  }
}

/** The value as an object with fields, or a 400 naming where (the body itself when `path` is undefined). */
function objectAt(value: unknown, path: string | undefined): object {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  if (path === undefined) throw new ProblemError('bad-request', 'The request body must be a JSON object.');
  throw new ProblemError('bad-request', `The request body field ${JSON.stringify(path)} must be an object.`);
}
