/**
 * Compares a published OpenAPI 3 document (the committed lock) with the one the code generates now, and sorts
 * every difference into breaking changes (fail CI) and additions (pass). Hand-written: the npm tools for this
 * (openapi-diff, oasdiff) are Java/Go binaries or pull heavy dependency trees, and the rules a partner contract
 * needs are few and must be exact.
 *
 * Breaking: a removed path or operation; a removed success (2xx) response; a removed response field, a changed
 * type, a field no longer required in a response; a new required input (parameter or body field), an optional
 * input becoming required, a removed input (unknown inputs are refused with 400); a removed enum value in an
 * input; a new enum value in a response.
 *
 * Every media type is compared, in request bodies and in the responses of every status (the problem+json and
 * problem+xml of an error as much as the JSON and XML of a 200), by the same rules. A media type no longer
 * accepted by a request body (a client sending it now gets 415) or no longer offered by a response (a client
 * asking for it now gets 406) is breaking; a new one is an addition. A finding that every media type of a
 * body shares is reported once, under the bare label (`GET /v2/orders → 200.total`); one that only some of
 * them have is reported for each, named (`GET /v2/orders → 200 (application/xml).total`).
 *
 * A response removed: a success (any status starting with 2) is breaking; any other status (an error,
 * `default`) is an addition, reported so that refreshing the lock publishes it. This follows oasdiff, whose
 * `response-success-status-removed` is an error and `response-non-success-status-removed` info (before that
 * an opt-in check): a request that was answered with that error is now answered otherwise — typically with
 * another error, which a client handles by its class (4xx, 5xx) — and no valid request loses an answer a
 * client relied on. The shape of an error answer that stays documented is compared like any other. A
 * response added, of any status, is an addition.
 *
 * Constraints (`maximum`/`minimum` and their `exclusive*` forms, `max/minLength`, `max/minItems`,
 * `max/minProperties`, `pattern`, `multipleOf`, `uniqueItems`, `enum`) are compared by direction. In what a
 * client SENDS (parameters, request bodies) a tightened constraint is breaking — a request valid before is
 * refused — and a loosened one is an addition. In what the API RETURNS (response bodies and headers) it is the
 * mirror: a loosened or removed constraint, or a widened enum, is breaking, because a client that sized a
 * column, a buffer or a switch to the published bounds meets a value it was promised never to see; a tightened
 * one is an addition. This is how oasdiff classifies them (since v1.31 removing a bound from a response or
 * response header is an error, as are new response enum values) and what OpenAPITools/openapi-diff settled on
 * after its issue #461. A changed `pattern` (or a `multipleOf` neither a divisor nor a multiple of the old one)
 * cannot be ordered, so it is breaking both ways.
 *
 * The same direction sorts `nullable` (null newly allowed is a loosening, null no longer allowed a tightening;
 * any other change of type or format is breaking both ways), `additionalProperties` (`false` added closes an
 * object, a value schema added constrains its values) and the alternatives of a `oneOf`/`anyOf` (matched by
 * the schema they reference, inline ones by position; like enum values, a new one in a response and a removed
 * one in a request are breaking; a schema becoming or ceasing to be a `oneOf`/`anyOf` is breaking). Matched
 * alternatives and `additionalProperties` value schemas are compared as any schema is.
 *
 * Parameters: those of the path item count for each of its operations (an operation's own override them),
 * header names ignore case, and one described by `content` is compared by that schema. How a client writes a
 * parameter is part of the contract: a changed `style` or `explode` (defaults: `form` and exploded for query
 * and cookie, `simple` for path and header) or `content` media type is breaking — except `explode` on a single
 * value (a string, number, integer or boolean schema on both sides), written the same either way: an addition
 * (oasdiff skips it too). A parameter or a request body becoming required is breaking, optional an addition.
 *
 * Also breaking: a documented response header removed (for any status present in both documents; a header
 * added is an addition), or its schema changed as a response schema would be; any change of a schema's
 * effective `xml` object (name — by default the property's name —, namespace, prefix, attribute, wrapped; the
 * others default to unset/false), in requests and responses alike: it renames or moves what clients send and
 * parse. A response header documented `required: true` no longer required is breaking too (clients rely on
 * it); one becoming required is an addition.
 *
 * `$ref`s are followed wherever OpenAPI allows them (schemas, parameters, request bodies, responses, headers),
 * to any JSON pointer inside the document; a reference to another file is not followed.
 *
 * Loosenings and other non-breaking changes are reported as additions, so that refreshing the lock publishes
 * them; otherwise the snapshot would keep the old bound and a later return to it would pass unnoticed.
 */
export interface OpenApiDiff {
  readonly breaking: readonly string[];
  readonly additions: readonly string[];
}

type Json = Record<string, unknown>;
interface Xml {
  name?: string;
  namespace?: string;
  prefix?: string;
  attribute?: boolean;
  wrapped?: boolean;
}
interface Schema {
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  nullable?: boolean;
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  /** `false` closes the object; a schema types the values of the keys `properties` does not name. */
  additionalProperties?: boolean | Schema;
  xml?: Xml;
  maximum?: number;
  minimum?: number;
  /** OpenAPI 3.0: a boolean qualifying `maximum`; 3.1 (JSON Schema 2020-12): the exclusive bound itself. */
  exclusiveMaximum?: boolean | number;
  exclusiveMinimum?: boolean | number;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minItems?: number;
  maxProperties?: number;
  minProperties?: number;
  pattern?: string;
  multipleOf?: number;
  uniqueItems?: boolean;
  /** Set by `resolve` on the schema it merges from an `allOf`: the constraints of every part together. */
  [LIMITS]?: Limits;
}
/** The `content` of a request body, a response or a parameter: a schema per media type. */
type Content = Record<string, { schema?: Schema }>;
interface Header {
  $ref?: string;
  required?: boolean;
  schema?: Schema;
}
interface Response {
  $ref?: string;
  headers?: Record<string, Header>;
  content?: Content;
}
interface Parameter {
  $ref?: string;
  name: string;
  in: string;
  required?: boolean;
  style?: string;
  explode?: boolean;
  schema?: Schema;
  content?: Content;
}
interface RequestBody {
  $ref?: string;
  required?: boolean;
  content?: Content;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: RequestBody;
  responses?: Record<string, Response>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;
/** A path item: its operations, and the parameters they all share. */
type PathItem = Partial<Record<(typeof METHODS)[number], Operation>> & { parameters?: Parameter[] };
/** Which way a schema travels: what a client sends, or what the API returns. */
type Direction = 'input' | 'output';

/** A bound on a number, a length or a count; `exclusive` only for the numeric `exclusiveMaximum/Minimum`. */
interface Bound {
  value: number;
  exclusive: boolean;
}
const BOUNDS = [
  'maximum',
  'minimum',
  'maxLength',
  'minLength',
  'maxItems',
  'minItems',
  'maxProperties',
  'minProperties',
] as const;
type BoundKey = (typeof BOUNDS)[number];
/** Every constraint a schema (or all parts of an `allOf`) puts on a value, normalised for comparison. */
interface Limits {
  bounds: Partial<Record<BoundKey, Bound>>;
  patterns: string[];
  multipleOf: number[];
  uniqueItems: boolean;
}
const LIMITS = Symbol('limits');
/** What a constraint change does to the set of valid values: fewer (tighter), more (looser), or neither/both. */
type Verdict = 'tighter' | 'looser' | 'changed';
interface Finding {
  verdict: Verdict;
  message: string;
}

const isUpper = (key: BoundKey) => key.startsWith('max');
const showBound = (b: Bound) => `${b.value}${b.exclusive ? ' (exclusive)' : ''}`;
/** Whether `b` admits fewer values than `a` (both bounding the same side). */
const stricter = (key: BoundKey, a: Bound, b: Bound) =>
  (isUpper(key) ? b.value < a.value : b.value > a.value) || (b.value === a.value && b.exclusive && !a.exclusive);

function boundOf(schema: Schema, key: BoundKey): Bound | undefined {
  const value = schema[key];
  if (key !== 'maximum' && key !== 'minimum') return value === undefined ? undefined : { value, exclusive: false };
  const flag = key === 'maximum' ? schema.exclusiveMaximum : schema.exclusiveMinimum;
  const candidates: Bound[] = [];
  if (value !== undefined) candidates.push({ value, exclusive: flag === true });
  if (typeof flag === 'number') candidates.push({ value: flag, exclusive: true });
  return candidates.reduce<Bound | undefined>((best, b) => (!best || stricter(key, best, b) ? b : best), undefined);
}

function limitsOf(schema: Schema): Limits {
  const own = schema[LIMITS];
  if (own) return own;
  const bounds: Partial<Record<BoundKey, Bound>> = {};
  for (const key of BOUNDS) {
    const bound = boundOf(schema, key);
    if (bound) bounds[key] = bound;
  }
  return {
    bounds,
    patterns: schema.pattern === undefined ? [] : [schema.pattern],
    multipleOf: schema.multipleOf === undefined ? [] : [schema.multipleOf],
    uniqueItems: schema.uniqueItems === true,
  };
}

/** The constraints of an `allOf`: a value must satisfy every part, so the strictest bound of each kind applies. */
function combineLimits(all: Limits[]): Limits {
  const bounds: Partial<Record<BoundKey, Bound>> = {};
  for (const key of BOUNDS) {
    for (const limits of all) {
      const bound = limits.bounds[key];
      const best = bounds[key];
      if (bound && (!best || stricter(key, best, bound))) bounds[key] = bound;
    }
  }
  return {
    bounds,
    patterns: [...new Set(all.flatMap((l) => l.patterns))],
    multipleOf: [...new Set(all.flatMap((l) => l.multipleOf))],
    uniqueItems: all.some((l) => l.uniqueItems),
  };
}

const divides = (divisor: number, n: number) => Math.abs(n / divisor - Math.round(n / divisor)) < 1e-9;

/** A set-valued constraint (patterns, multipleOf): every value must match all of them. */
function compareSet(
  label: string,
  a: unknown[],
  b: unknown[],
  show: (v: unknown) => string = (v) => JSON.stringify(v),
): Finding[] {
  const added = b.filter((v) => !a.includes(v));
  const removed = a.filter((v) => !b.includes(v));
  if (added.length && removed.length) {
    const list = (vs: unknown[]) => vs.map(show).join(', ');
    if (label === 'multipleOf' && added.length === 1 && removed.length === 1) {
      const [before, after] = [removed[0] as number, added[0] as number];
      // multipleOf 2 → 4 admits fewer values; 4 → 2 more; 2 → 3 neither
      const verdict: Verdict = divides(before, after) ? 'tighter' : divides(after, before) ? 'looser' : 'changed';
      return [{ verdict, message: `multipleOf changed from ${before} to ${after}` }];
    }
    return [{ verdict: 'changed', message: `${label} changed from ${list(removed)} to ${list(added)}` }];
  }
  return [
    ...added.map((v): Finding => ({ verdict: 'tighter', message: `${label} ${show(v)} added` })),
    ...removed.map((v): Finding => ({ verdict: 'looser', message: `${label} ${show(v)} removed` })),
  ];
}

/** Every constraint that differs between two (resolved) schemas, with what it does to the set of valid values. */
function compareLimits(before: Schema, after: Schema): Finding[] {
  const a = limitsOf(before);
  const b = limitsOf(after);
  const findings: Finding[] = [];
  for (const key of BOUNDS) {
    const [x, y] = [a.bounds[key], b.bounds[key]];
    if (!x && !y) continue;
    if (!x) findings.push({ verdict: 'tighter', message: `${key} ${showBound(y as Bound)} added` });
    else if (!y) findings.push({ verdict: 'looser', message: `${key} ${showBound(x)} removed` });
    else if (x.value !== y.value || x.exclusive !== y.exclusive) {
      const tighter = stricter(key, x, y);
      const verb = x.value === y.value ? (tighter ? 'tightened' : 'loosened') : y.value < x.value ? 'lowered' : 'raised';
      const message = `${key} ${verb} from ${showBound(x)} to ${showBound(y)}`;
      findings.push({ verdict: tighter ? 'tighter' : 'looser', message });
    }
  }
  findings.push(...compareSet('pattern', a.patterns, b.patterns));
  findings.push(...compareSet('multipleOf', a.multipleOf, b.multipleOf, String));
  if (a.uniqueItems !== b.uniqueItems) {
    const message = `uniqueItems ${b.uniqueItems ? 'added' : 'removed'}`;
    findings.push({ verdict: b.uniqueItems ? 'tighter' : 'looser', message });
  }
  return findings;
}

const XML_FIELDS = ['name', 'namespace', 'prefix', 'attribute', 'wrapped'] as const;
/** Types whose values are single values: `explode` does not change how a parameter of one is written. */
const SCALARS: readonly (string | undefined)[] = ['string', 'number', 'integer', 'boolean'];

/** The node a local `$ref` names: any JSON pointer into the document (`~1` is `/`, `~0` is `~`). */
function pointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined; // another file: not followed
  let node: unknown = doc;
  for (const token of ref.slice(2).split('/')) {
    let key = token;
    try {
      key = decodeURIComponent(token);
    } catch {
      // not percent-encoded after all: taken as written
    }
    key = key.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node && typeof node === 'object' ? (node as Json)[key] : undefined;
  }
  return node;
}

class Walker {
  private breaking: string[] = [];
  private additions: string[] = [];
  /** The `$ref` pairs being compared on the current path (see `once`). */
  private readonly comparing = new Set<string>();

  constructor(
    private readonly oldDoc: Json,
    private readonly newDoc: Json,
  ) {}

  resolve(doc: Json, schema: Schema | undefined, depth = 0): Schema | undefined {
    if (!schema || depth > 32) return schema;
    if (schema.$ref) return this.resolve(doc, pointer(doc, schema.$ref) as Schema | undefined, depth + 1);
    if (schema.allOf) {
      // the keywords beside `allOf` (e.g. the `xml` naming a list entry `{ allOf: [{ $ref }], xml }`) apply too
      const { allOf, ...own } = schema;
      const parts = [...allOf.map((s) => this.resolve(doc, s, depth + 1) ?? {}), own];
      const enums = parts.flatMap((p) => (p.enum ? [p.enum] : []));
      const xml: Xml = Object.assign({}, ...parts.map((p) => p.xml ?? {}));
      const extra =
        parts.find((p) => p.additionalProperties === false) ??
        parts.find((p) => p.additionalProperties !== undefined);
      return {
        type: parts.find((p) => p.type)?.type ?? 'object',
        format: parts.find((p) => p.format)?.format,
        nullable: parts.some((p) => p.nullable) || undefined,
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
        required: parts.flatMap((p) => p.required ?? []),
        items: parts.find((p) => p.items)?.items,
        enum: enums.length ? enums.reduce((all, e) => all.filter((v) => e.includes(v))) : undefined,
        xml: Object.keys(xml).length ? xml : undefined,
        oneOf: parts.find((p) => p.oneOf)?.oneOf,
        anyOf: parts.find((p) => p.anyOf)?.anyOf,
        additionalProperties: extra?.additionalProperties,
        [LIMITS]: combineLimits(parts.map(limitsOf)),
      };
    }
    return schema;
  }

  /** A `$ref` to a parameter, request body, response or header (anywhere in the document), followed. */
  component<T extends { $ref?: string }>(doc: Json, value: T | undefined, depth = 0): T | undefined {
    if (!value?.$ref || depth > 32) return value;
    return this.component(doc, pointer(doc, value.$ref) as T | undefined, depth + 1);
  }

  /** What `run` reports, taken aside instead of into the report. */
  collect(run: () => void): { breaking: string[]; additions: string[] } {
    const outer = { breaking: this.breaking, additions: this.additions };
    this.breaking = [];
    this.additions = [];
    try {
      run();
      return { breaking: this.breaking, additions: this.additions };
    } finally {
      this.breaking = outer.breaking;
      this.additions = outer.additions;
    }
  }

  /**
   * Constraint changes, sorted by who they hurt: `input` — a tightened constraint refuses requests that were valid;
   * `output` — a loosened one lets through values clients were promised never to see. `changed` hurts both.
   */
  constraints(where: string, a: Schema, b: Schema, direction: Direction): void {
    this.sort(where, compareLimits(a, b), direction);
  }

  sort(where: string, findings: Finding[], direction: Direction): void {
    const hurts: Verdict = direction === 'input' ? 'tighter' : 'looser';
    for (const { verdict, message } of findings) {
      (verdict === hurts || verdict === 'changed' ? this.breaking : this.additions).push(`${where}: ${message}`);
    }
  }

  /** The XML a client sends or parses for this schema: any change of its effective `xml` object is breaking. */
  xml(where: string, a: Schema, b: Schema, name: string | undefined): void {
    const defaults: Xml = { name, attribute: false, wrapped: false };
    const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));
    for (const field of XML_FIELDS) {
      const [before, after] = [a.xml?.[field] ?? defaults[field], b.xml?.[field] ?? defaults[field]];
      if (before !== after) this.breaking.push(`${where}: xml ${field} changed from ${show(before)} to ${show(after)}`);
    }
  }

  typeOf(schema: Schema | undefined, nullable = true): string {
    if (!schema) return 'any';
    const type = schema.type ?? (schema.properties ? 'object' : 'any');
    return `${type}${schema.format ? `(${schema.format})` : ''}${nullable && schema.nullable ? '|null' : ''}`;
  }

  /**
   * A changed type or format is breaking both ways, and nothing below it is compared (false). `nullable`
   * alone is sorted by direction: null newly allowed is a loosening (breaking in a response: a client meets a
   * null it was promised never to see), null no longer allowed a tightening (breaking in a request).
   */
  type(where: string, a: Schema, b: Schema, direction: Direction): boolean {
    const [x, y] = [this.typeOf(a), this.typeOf(b)];
    if (x === y) return true;
    const message = `${where}: type changed from ${x} to ${y}`;
    if (this.typeOf(a, false) !== this.typeOf(b, false)) {
      this.breaking.push(message);
      return false;
    }
    const looser = b.nullable === true;
    (looser === (direction === 'input') ? this.additions : this.breaking).push(message);
    return true;
  }

  /**
   * The alternatives of a `oneOf`/`anyOf`, matched by the schema they reference (inline ones by position
   * among the inline ones). Like enum values: a new one in a response, or one removed from a request, is
   * breaking; the reverse is an addition. A schema becoming or ceasing to be a `oneOf`/`anyOf` is breaking.
   */
  alternatives(
    where: string,
    a: Schema,
    b: Schema,
    direction: Direction,
    xmlName: string | undefined,
    depth: number,
  ): void {
    for (const kind of ['oneOf', 'anyOf'] as const) {
      const [x, y] = [a[kind], b[kind]];
      if (!x && !y) continue;
      if (!x || !y) {
        this.breaking.push(`${where}: ${kind} ${y ? 'added' : 'removed'}`);
        continue;
      }
      const named = (list: Schema[]) => {
        let inline = 0;
        return new Map(list.map((s) => [s.$ref ? (s.$ref.split('/').pop() ?? s.$ref) : `#${inline++}`, s]));
      };
      const [before, after] = [named(x), named(y)];
      for (const [name, alternative] of before) {
        const next = after.get(name);
        const what = `${where}: ${kind} alternative ${name}`;
        if (next) this[direction](`${where}<${kind} ${name}>`, alternative, next, xmlName, depth + 1);
        else if (direction === 'input') this.breaking.push(`${what} no longer accepted`);
        else this.additions.push(`${what} no longer returned`);
      }
      for (const name of after.keys()) {
        if (before.has(name)) continue;
        if (direction === 'input') this.additions.push(`${where}: ${kind} alternative ${name} now accepted`);
        else this.breaking.push(`${where}: new ${kind} alternative ${name} in a response`);
      }
    }
  }

  /**
   * `additionalProperties`: `false` closes an object, a schema types the values of the keys `properties` does
   * not name; absent, `true` and `{}` admit anything. Closing or typing them is a tightening, the reverse a
   * loosening (sorted as constraints are); value schemas on both sides are compared as any schema is, at
   * `where{}`.
   */
  extra(where: string, a: Schema, b: Schema, direction: Direction, depth: number): void {
    const [x, y] = [a.additionalProperties, b.additionalProperties];
    const open = (v: boolean | Schema | undefined) =>
      v === undefined || v === true || (typeof v === 'object' && Object.keys(v).length === 0);
    const finding = (verdict: Verdict, message: string) =>
      this.sort(where, [{ verdict, message: `additionalProperties ${message}` }], direction);
    if (x === false && y !== false) finding('looser', 'false removed');
    else if (x !== false && y === false) finding('tighter', 'false added');
    else if (x === false || (open(x) && open(y))) return;
    else if (open(x)) finding('tighter', 'schema added');
    else if (open(y)) finding('looser', 'schema removed');
    else this[direction](`${where}{}`, x as Schema, y as Schema, undefined, depth + 1);
  }

  /**
   * Runs `compare` unless the same pair of `$ref`s is already being compared higher up the path, as in a
   * recursive schema (a `Category` whose `children` are `Category`s): what the pair holds is compared once, at
   * its first level, and the recursion stops there. The depth bound alone would walk a schema that refers to
   * itself through two properties 2^32 times.
   */
  private once(direction: Direction, before: Schema | undefined, after: Schema | undefined, compare: () => void): void {
    if (before?.$ref === undefined || after?.$ref === undefined) return compare();
    const pair = `${direction} ${before.$ref} ${after.$ref}`;
    if (this.comparing.has(pair)) return;
    this.comparing.add(pair);
    try {
      compare();
    } finally {
      this.comparing.delete(pair);
    }
  }

  /** Response (output) schemas: clients read them, so fields must not disappear or change. */
  output(where: string, before: Schema | undefined, after: Schema | undefined, xmlName?: string, depth = 0): void {
    this.once('output', before, after, () => this.outputSchema(where, before, after, xmlName, depth));
  }

  private outputSchema(where: string, before: Schema | undefined, after: Schema | undefined, xmlName: string | undefined, depth: number): void {
    const a = this.resolve(this.oldDoc, before);
    const b = this.resolve(this.newDoc, after);
    if (!a || depth > 32) return;
    if (!b) return void this.breaking.push(`${where}: removed`);
    if (!this.type(where, a, b, 'output')) return;
    // a client switching over the values it was promised meets a new one it cannot handle
    if (a.enum && !b.enum) this.breaking.push(`${where}: no longer limited to ${JSON.stringify(a.enum)}`);
    if (!a.enum && b.enum) this.additions.push(`${where}: now limited to ${JSON.stringify(b.enum)}`);
    for (const value of b.enum ?? []) if (a.enum && !a.enum.includes(value)) this.breaking.push(`${where}: new value ${JSON.stringify(value)} in a response`);
    for (const value of a.enum ?? []) {
      if (b.enum && !b.enum.includes(value)) this.additions.push(`${where}: value ${JSON.stringify(value)} no longer returned`);
    }
    this.constraints(where, a, b, 'output');
    this.xml(where, a, b, xmlName);
    this.alternatives(where, a, b, 'output', xmlName, depth);
    for (const [name, prop] of Object.entries(a.properties ?? {})) {
      const path = `${where}.${name}`;
      if (!b.properties?.[name]) this.breaking.push(`${path}: response field removed`);
      else {
        if ((a.required ?? []).includes(name) && !(b.required ?? []).includes(name)) this.breaking.push(`${path}: response field no longer required`);
        this.output(path, prop, b.properties[name], name, depth + 1);
      }
    }
    for (const name of Object.keys(b.properties ?? {})) if (!a.properties?.[name]) this.additions.push(`${where}.${name}: response field added`);
    this.extra(where, a, b, 'output', depth);
    // the entries of a list are named like the list unless their own `xml.name` says otherwise
    if (a.items || b.items) this.output(`${where}[]`, a.items, b.items, xmlName, depth + 1);
  }

  /** Request (input) schemas: new requirements and removed inputs break existing clients. */
  input(where: string, before: Schema | undefined, after: Schema | undefined, xmlName?: string, depth = 0): void {
    this.once('input', before, after, () => this.inputSchema(where, before, after, xmlName, depth));
  }

  private inputSchema(where: string, before: Schema | undefined, after: Schema | undefined, xmlName: string | undefined, depth: number): void {
    const a = this.resolve(this.oldDoc, before);
    const b = this.resolve(this.newDoc, after);
    if (!b || depth > 32) return;
    if (!a) return void this.additions.push(`${where}: input added`);
    if (!this.type(where, a, b, 'input')) return;
    if (!a.enum && b.enum) this.breaking.push(`${where}: now limited to ${JSON.stringify(b.enum)}`);
    if (a.enum && !b.enum) this.additions.push(`${where}: no longer limited to ${JSON.stringify(a.enum)}`);
    for (const value of a.enum ?? []) if (b.enum && !b.enum.includes(value)) this.breaking.push(`${where}: value ${JSON.stringify(value)} no longer accepted`);
    for (const value of b.enum ?? []) {
      if (a.enum && !a.enum.includes(value)) this.additions.push(`${where}: value ${JSON.stringify(value)} now accepted`);
    }
    this.constraints(where, a, b, 'input');
    this.xml(where, a, b, xmlName);
    this.alternatives(where, a, b, 'input', xmlName, depth);
    for (const [name, prop] of Object.entries(b.properties ?? {})) {
      const path = `${where}.${name}`;
      const required = (b.required ?? []).includes(name);
      if (!a.properties?.[name]) {
        if (required) this.breaking.push(`${path}: new required input`);
        else this.additions.push(`${path}: optional input added`);
      } else {
        if (required && !(a.required ?? []).includes(name)) this.breaking.push(`${path}: input became required`);
        this.input(path, a.properties[name], prop, name, depth + 1);
      }
    }
    for (const name of Object.keys(a.properties ?? {})) if (!b.properties?.[name]) this.breaking.push(`${where}.${name}: input removed`);
    this.extra(where, a, b, 'input', depth);
    if (a.items || b.items) this.input(`${where}[]`, a.items, b.items, xmlName, depth + 1);
  }

  /**
   * The bodies of a request or a response, media type by media type, each compared by the same rules. A media
   * type gone is breaking, a new one an addition. A finding every shared media type has is reported once, under
   * the bare label; one only some of them have is reported for each, named: `→ 200 (application/xml).total`.
   */
  content(
    where: string,
    before: Content | undefined,
    after: Content | undefined,
    direction: Direction,
  ): void {
    const find = (content: Content | undefined, type: string) =>
      Object.entries(content ?? {}).find(([t]) => t.toLowerCase() === type.toLowerCase())?.[1];
    const [side, refusal] =
      direction === 'input'
        ? ['request', 'a client sending it now gets 415']
        : ['response', 'a client asking for it now gets 406'];
    const shared: string[] = [];
    for (const type of Object.keys(before ?? {})) {
      if (find(after, type)) shared.push(type);
      else this.breaking.push(`${where} (${type}): ${side} media type removed (${refusal})`);
    }
    for (const type of Object.keys(after ?? {})) {
      if (!find(before, type)) this.additions.push(`${where} (${type}): ${side} media type added`);
    }
    const found = shared.map((type) => ({
      type,
      ...this.collect(() => this[direction](where, before?.[type]?.schema, find(after, type)?.schema)),
    }));
    for (const list of ['breaking', 'additions'] as const) {
      for (const message of new Set(found.flatMap((f) => f[list]))) {
        const holders = found.filter((f) => f[list].includes(message));
        const rest = message.slice(where.length);
        if (holders.length === found.length) this[list].push(message);
        else for (const { type } of holders) this[list].push(`${where} (${type})${rest}`);
      }
    }
  }

  /** The parameters of an operation: the path item's, overridden by the operation's own (same in, name). */
  parameters(doc: Json, item: PathItem, operation: Operation): Map<string, Parameter> {
    const all = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) =>
      this.component(doc, p),
    );
    // header names ignore case (RFC 9110 §5.1); the others do not
    const key = (p: Parameter) => `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
    return new Map(all.flatMap((p) => (p ? [[key(p), p] as const] : [])));
  }

  /**
   * How a client writes a parameter: its `style` and `explode` (by default `form` and exploded for query and
   * cookie, `simple` and not exploded for path and header), or the media type of its `content`. Any change is
   * breaking, except `explode` on a single value on both sides (written the same either way), which is an
   * addition.
   */
  serialization(where: string, a: Parameter, b: Parameter): void {
    const style = (p: Parameter) => p.style ?? (p.in === 'query' || p.in === 'cookie' ? 'form' : 'simple');
    const media = (p: Parameter) => (p.content ? Object.keys(p.content)[0]?.toLowerCase() : undefined);
    const how = (p: Parameter) => (p.content ? `content ${media(p)}` : `style "${style(p)}"`);
    if (a.content || b.content) {
      const [x, y] = [how(a), how(b)];
      if (x !== y) this.breaking.push(`${where}: serialization changed from ${x} to ${y}`);
      return;
    }
    if (style(a) !== style(b)) {
      return void this.breaking.push(`${where}: style changed from "${style(a)}" to "${style(b)}"`);
    }
    const [x, y] = [a.explode ?? style(a) === 'form', b.explode ?? style(b) === 'form'];
    if (x === y) return;
    const single = (s: Schema | undefined) => SCALARS.includes(s?.type) && !s?.oneOf && !s?.anyOf;
    const same = single(this.resolve(this.oldDoc, a.schema)) && single(this.resolve(this.newDoc, b.schema));
    const message = `${where}: explode changed from ${x} to ${y}`;
    if (same) this.additions.push(`${message} (a single value is written the same)`);
    else this.breaking.push(message);
  }

  /** The request body: a new required one, or one becoming required, is breaking; then each media type. */
  requestBody(where: string, before: RequestBody | undefined, after: RequestBody | undefined): void {
    const a = this.component(this.oldDoc, before);
    const b = this.component(this.newDoc, after);
    const has = (body: RequestBody | undefined) => Object.keys(body?.content ?? {}).length > 0;
    if (!has(a)) {
      if (has(b) && b?.required) this.breaking.push(`${where}: new required request body`);
      else if (has(b)) this.additions.push(`${where}: optional request body added`);
      return;
    }
    if (has(b) && b?.required && !a?.required) this.breaking.push(`${where}: request body became required`);
    if (has(b) && !b?.required && a?.required) this.additions.push(`${where}: request body became optional`);
    this.content(where, a?.content, b?.content, 'input');
  }

  operation(where: string, a: Operation, b: Operation, itemA: PathItem, itemB: PathItem): void {
    const oldParams = this.parameters(this.oldDoc, itemA, a);
    const newParams = this.parameters(this.newDoc, itemB, b);
    const schemaOf = (p: Parameter) => p.schema ?? Object.values(p.content ?? {})[0]?.schema;
    for (const [key, p] of newParams) {
      const old = oldParams.get(key);
      const id = `${p.in}:${p.name}`;
      if (!old) (p.required ? this.breaking : this.additions).push(`${where} ${id}: ${p.required ? 'new required parameter' : 'optional parameter added'}`);
      else {
        if (p.required && !old.required) this.breaking.push(`${where} ${id}: parameter became required`);
        if (!p.required && old.required) this.additions.push(`${where} ${id}: parameter became optional`);
        this.serialization(`${where} ${id}`, old, p);
        this.input(`${where} ${id}`, schemaOf(old), schemaOf(p));
      }
    }
    for (const [key, p] of oldParams) {
      if (!newParams.has(key)) this.breaking.push(`${where} ${p.in}:${p.name}: parameter removed`);
    }
    this.requestBody(`${where} body`, a.requestBody, b.requestBody);
    for (const [status, before] of Object.entries(a.responses ?? {})) {
      const response = this.component(this.oldDoc, before);
      const after = this.component(this.newDoc, b.responses?.[status]);
      const label = `${where} → ${status}`;
      if (!after) {
        // oasdiff: response-success-status-removed is an error, response-non-success-status-removed info
        if (status.startsWith('2')) this.breaking.push(`${label}: response removed`);
        else this.additions.push(`${label}: non-success response removed`);
        continue;
      }
      if (!response) continue;
      // the headers of every documented answer (e.g. Retry-After on a 429) are promises, and so is its body
      this.headers(label, response, after);
      this.content(label, response.content, after.content, 'output');
    }
    for (const status of Object.keys(b.responses ?? {})) {
      if (!a.responses?.[status]) this.additions.push(`${where} → ${status}: response added`);
    }
  }

  /**
   * Response headers: a client reading one breaks when it disappears, when one documented as always sent no
   * longer is, or when its schema changes; names ignore case.
   */
  headers(where: string, a: Response, b: Response): void {
    const find = (headers: Record<string, Header> | undefined, name: string) =>
      Object.entries(headers ?? {}).find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
    for (const [name, before] of Object.entries(a.headers ?? {})) {
      const after = find(b.headers, name);
      const path = `${where} header ${name}`;
      if (!after) this.breaking.push(`${path}: response header removed`);
      else {
        const [x, y] = [this.component(this.oldDoc, before), this.component(this.newDoc, after)];
        if (x?.required && !y?.required) this.breaking.push(`${path}: response header no longer required`);
        if (!x?.required && y?.required) this.additions.push(`${path}: response header now required`);
        this.output(path, x?.schema, y?.schema);
      }
    }
    for (const name of Object.keys(b.headers ?? {})) {
      if (!find(a.headers, name)) this.additions.push(`${where} header ${name}: response header added`);
    }
  }

  run(): OpenApiDiff {
    const oldPaths = (this.oldDoc['paths'] ?? {}) as Record<string, PathItem>;
    const newPaths = (this.newDoc['paths'] ?? {}) as Record<string, PathItem>;
    for (const [path, item] of Object.entries(oldPaths)) {
      for (const method of METHODS) {
        const before = item[method];
        if (!before) continue;
        const after = newPaths[path]?.[method];
        const where = `${method.toUpperCase()} ${path}`;
        if (!after) this.breaking.push(`${where}: operation removed`);
        else this.operation(where, before, after, item, newPaths[path] ?? {});
      }
    }
    for (const [path, item] of Object.entries(newPaths)) {
      for (const method of METHODS) if (item[method] && !oldPaths[path]?.[method]) this.additions.push(`${method.toUpperCase()} ${path}: operation added`);
    }
    return { breaking: this.breaking, additions: this.additions };
  }
}

export function diffOpenApi(locked: Json, current: Json): OpenApiDiff {
  return new Walker(locked, current).run();
}

/** The readable report a failing contract-lock test prints. */
export function formatDiff(version: string, diff: OpenApiDiff): string {
  const lines = [`Breaking changes to the published ${version} contract (${diff.breaking.length}):`, ...diff.breaking.map((b) => `  ✗ ${b}`)];
  if (diff.additions.length) lines.push(`Additions (allowed; refresh the lock to publish them):`, ...diff.additions.map((a) => `  + ${a}`));
  return lines.join('\n');
}
