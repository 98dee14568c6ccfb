import { ProblemError } from '@frontdoor/errors';

/**
 * The fields a body row accepts, compiled once at start from its `bodyFields`: `customerId` (any value),
 * `items[].sku` (`items` an array of objects carrying only the fields named under it), `address.city` (`address` an
 * object). A field with nothing named under it is a leaf: its value is not looked into.
 */
export type BodyShape = ReadonlyMap<string, BodyField>;
/** `undefined`: a leaf; else the fields of the object (`list: false`) or of each element of the array. */
type BodyField = { readonly list: boolean; readonly shape: BodyShape } | undefined;
type MutableShape = Map<string, { readonly list: boolean; readonly shape: MutableShape } | undefined>;

const SEGMENT = /^([^.[\]]+)(\[\])?$/;
/** Unnamed fields echoed in a 400 (the sixth only shows there are more). */
const MAX_ECHOED = 5;

/** @throws Error naming the bad entry (the table check reports it as the row's `invalid-option`) */
export function compileBodyFields(names: readonly string[]): BodyShape {
  const root: MutableShape = new Map();
  for (const name of names) {
    const segments = name.split('.');
    let level = root;
    segments.forEach((segment, i) => {
      const [, key, brackets] = SEGMENT.exec(segment) ?? [];
      const bad = (why: string) => new Error(`body field ${JSON.stringify(name)} ${why}`);
      if (key === undefined) throw bad('must be field names joined by "." (a list as "name[]")');
      const field = level.get(key);
      if (i === segments.length - 1) {
        if (brackets !== undefined) throw bad('ends in "[]": name the fields of its elements');
        if (level.has(key)) throw bad('is named both alone and with fields under it');
        level.set(key, undefined);
        return;
      }
      if (field === undefined && level.has(key)) throw bad('is named both alone and with fields under it');
      if (field !== undefined && field.list !== (brackets !== undefined))
        throw bad('is named both as an array and as an object');
      const next = field ?? { list: brackets !== undefined, shape: new Map() };
      level.set(key, next);
      level = next.shape;
    });
  }
  return root;
}

/**
 * A body row forwards a JSON object with the fields it names and nothing else, at any depth it names (mass
 * assignment: an order's `partnerId`, a line's `unitPrice`). Names are echoed JSON-quoted and cut short: they are the
 * client's own input.
 * @throws ProblemError `bad-request` (400): not a JSON object, a field with names under it that is not an object (an
 *   array of objects for `[]`), or fields the row does not name
 */
export function refuseUnnamedFields(body: unknown, shape: BodyShape): void {
  const unnamed: string[] = [];
  collectUnnamed(objectAt(body, undefined), shape, '', unnamed);
  if (unnamed.length === 0) return;
  const names = unnamed.slice(0, MAX_ECHOED).map((field) => JSON.stringify(field.slice(0, 64)));
  const more = unnamed.length > MAX_ECHOED ? ', …' : '';
  throw new ProblemError(
    'bad-request',
    `The request body has fields this route does not accept: ${names.join(', ')}${more}.`,
  );
}

function collectUnnamed(value: object, shape: BodyShape, at: string, found: string[]): void {
  for (const [key, child] of Object.entries(value)) {
    if (found.length > MAX_ECHOED) return;
    const path = at + key;
    if (!shape.has(key)) {
      found.push(path);
      continue;
    }
    const field = shape.get(key);
    if (field === undefined) continue;
    if (!field.list) {
      collectUnnamed(objectAt(child, path), field.shape, `${path}.`, found);
      continue;
    }
    if (!Array.isArray(child)) {
      throw new ProblemError(
        'bad-request',
        `The request body field ${JSON.stringify(path)} must be an array of objects.`,
      );
    }
    child.forEach((element, i) =>
      collectUnnamed(objectAt(element, `${path}[${i}]`), field.shape, `${path}[${i}].`, found),
    );
  }
}

/** The value as an object with fields, or a 400 naming where (the body itself when `path` is undefined). */
function objectAt(value: unknown, path: string | undefined): object {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  if (path === undefined) throw new ProblemError('bad-request', 'The request body must be a JSON object.');
  throw new ProblemError('bad-request', `The request body field ${JSON.stringify(path)} must be an object.`);
}
