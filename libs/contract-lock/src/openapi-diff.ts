/**
 * Compares a published OpenAPI 3 document (the committed lock) with the one the code generates now, and sorts
 * every difference into breaking changes (fail CI) and additions (pass). Hand-written: the npm tools for this
 * (openapi-diff, oasdiff) are Java/Go binaries or pull heavy dependency trees, and the rules a partner contract
 * needs are few and must be exact.
 *
 * Breaking: a removed path or operation; a removed response field, a changed type, a field no longer required
 * in a response; a new required input (parameter or body field), an optional input becoming required, a removed
 * input (unknown inputs are refused with 400); a removed enum value in an input; a new enum value in a response.
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
 * Also breaking: a documented response header removed (for any status present in both documents; a header
 * added is an addition), or its schema changed as a response schema would be; any change of a schema's
 * effective `xml` object (name — by default the property's name —, namespace, prefix, attribute, wrapped; the
 * others default to unset/false), in requests and responses alike: it renames or moves what clients send and
 * parse.
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
interface Header {
  $ref?: string;
  schema?: Schema;
}
interface Response {
  $ref?: string;
  headers?: Record<string, Header>;
  content?: Record<string, { schema?: Schema }>;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, Response>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

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

class Walker {
  readonly breaking: string[] = [];
  readonly additions: string[] = [];

  constructor(
    private readonly oldDoc: Json,
    private readonly newDoc: Json,
  ) {}

  resolve(doc: Json, schema: Schema | undefined, depth = 0): Schema | undefined {
    if (!schema || depth > 32) return schema;
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      const components = (doc['components'] as Json | undefined)?.['schemas'] as Record<string, Schema> | undefined;
      return this.resolve(doc, components?.[name], depth + 1);
    }
    if (schema.allOf) {
      // the keywords beside `allOf` (e.g. the `xml` naming a list entry `{ allOf: [{ $ref }], xml }`) apply too
      const { allOf, ...own } = schema;
      const parts = [...allOf.map((s) => this.resolve(doc, s, depth + 1) ?? {}), own];
      const enums = parts.flatMap((p) => (p.enum ? [p.enum] : []));
      const xml: Xml = Object.assign({}, ...parts.map((p) => p.xml ?? {}));
      return {
        type: parts.find((p) => p.type)?.type ?? 'object',
        format: parts.find((p) => p.format)?.format,
        nullable: parts.some((p) => p.nullable) || undefined,
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
        required: parts.flatMap((p) => p.required ?? []),
        items: parts.find((p) => p.items)?.items,
        enum: enums.length ? enums.reduce((all, e) => all.filter((v) => e.includes(v))) : undefined,
        xml: Object.keys(xml).length ? xml : undefined,
        [LIMITS]: combineLimits(parts.map(limitsOf)),
      };
    }
    return schema;
  }

  /** A `$ref` to `#/components/<kind>/<name>` (headers, responses), followed; schemas go through `resolve`. */
  component<T extends { $ref?: string }>(doc: Json, kind: string, value: T | undefined, depth = 0): T | undefined {
    if (!value?.$ref || depth > 32) return value;
    const name = value.$ref.replace(`#/components/${kind}/`, '');
    const components = (doc['components'] as Json | undefined)?.[kind] as Record<string, T> | undefined;
    return this.component(doc, kind, components?.[name], depth + 1);
  }

  /**
   * Constraint changes, sorted by who they hurt: `input` — a tightened constraint refuses requests that were valid;
   * `output` — a loosened one lets through values clients were promised never to see. `changed` hurts both.
   */
  constraints(where: string, a: Schema, b: Schema, direction: 'input' | 'output'): void {
    const hurts: Verdict = direction === 'input' ? 'tighter' : 'looser';
    for (const { verdict, message } of compareLimits(a, b)) {
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

  typeOf(schema: Schema | undefined): string {
    if (!schema) return 'any';
    return `${schema.type ?? (schema.properties ? 'object' : 'any')}${schema.format ? `(${schema.format})` : ''}${schema.nullable ? '|null' : ''}`;
  }

  /** Response (output) schemas: clients read them, so fields must not disappear or change. */
  output(where: string, before: Schema | undefined, after: Schema | undefined, xmlName?: string, depth = 0): void {
    const a = this.resolve(this.oldDoc, before);
    const b = this.resolve(this.newDoc, after);
    if (!a || depth > 32) return;
    if (!b) return void this.breaking.push(`${where}: removed`);
    if (this.typeOf(a) !== this.typeOf(b)) return void this.breaking.push(`${where}: type changed from ${this.typeOf(a)} to ${this.typeOf(b)}`);
    // a client switching over the values it was promised meets a new one it cannot handle
    if (a.enum && !b.enum) this.breaking.push(`${where}: no longer limited to ${JSON.stringify(a.enum)}`);
    if (!a.enum && b.enum) this.additions.push(`${where}: now limited to ${JSON.stringify(b.enum)}`);
    for (const value of b.enum ?? []) if (a.enum && !a.enum.includes(value)) this.breaking.push(`${where}: new value ${JSON.stringify(value)} in a response`);
    for (const value of a.enum ?? []) {
      if (b.enum && !b.enum.includes(value)) this.additions.push(`${where}: value ${JSON.stringify(value)} no longer returned`);
    }
    this.constraints(where, a, b, 'output');
    this.xml(where, a, b, xmlName);
    for (const [name, prop] of Object.entries(a.properties ?? {})) {
      const path = `${where}.${name}`;
      if (!b.properties?.[name]) this.breaking.push(`${path}: response field removed`);
      else {
        if ((a.required ?? []).includes(name) && !(b.required ?? []).includes(name)) this.breaking.push(`${path}: response field no longer required`);
        this.output(path, prop, b.properties[name], name, depth + 1);
      }
    }
    for (const name of Object.keys(b.properties ?? {})) if (!a.properties?.[name]) this.additions.push(`${where}.${name}: response field added`);
    // the entries of a list are named like the list unless their own `xml.name` says otherwise
    if (a.items || b.items) this.output(`${where}[]`, a.items, b.items, xmlName, depth + 1);
  }

  /** Request (input) schemas: new requirements and removed inputs break existing clients. */
  input(where: string, before: Schema | undefined, after: Schema | undefined, xmlName?: string, depth = 0): void {
    const a = this.resolve(this.oldDoc, before);
    const b = this.resolve(this.newDoc, after);
    if (!b || depth > 32) return;
    if (!a) return void this.additions.push(`${where}: input added`);
    if (this.typeOf(a) !== this.typeOf(b)) return void this.breaking.push(`${where}: type changed from ${this.typeOf(a)} to ${this.typeOf(b)}`);
    if (!a.enum && b.enum) this.breaking.push(`${where}: now limited to ${JSON.stringify(b.enum)}`);
    if (a.enum && !b.enum) this.additions.push(`${where}: no longer limited to ${JSON.stringify(a.enum)}`);
    for (const value of a.enum ?? []) if (b.enum && !b.enum.includes(value)) this.breaking.push(`${where}: value ${JSON.stringify(value)} no longer accepted`);
    for (const value of b.enum ?? []) {
      if (a.enum && !a.enum.includes(value)) this.additions.push(`${where}: value ${JSON.stringify(value)} now accepted`);
    }
    this.constraints(where, a, b, 'input');
    this.xml(where, a, b, xmlName);
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
    if (a.items || b.items) this.input(`${where}[]`, a.items, b.items, xmlName, depth + 1);
  }

  operation(where: string, a: Operation, b: Operation): void {
    const key = (p: Parameter) => `${p.in}:${p.name}`;
    const oldParams = new Map((a.parameters ?? []).map((p) => [key(p), p]));
    const newParams = new Map((b.parameters ?? []).map((p) => [key(p), p]));
    for (const [id, p] of newParams) {
      const old = oldParams.get(id);
      if (!old) (p.required ? this.breaking : this.additions).push(`${where} ${id}: ${p.required ? 'new required parameter' : 'optional parameter added'}`);
      else {
        if (p.required && !old.required) this.breaking.push(`${where} ${id}: parameter became required`);
        this.input(`${where} ${id}`, old.schema, p.schema);
      }
    }
    for (const id of oldParams.keys()) if (!newParams.has(id)) this.breaking.push(`${where} ${id}: parameter removed`);
    const oldBody = a.requestBody?.content?.['application/json']?.schema;
    const newBody = b.requestBody?.content?.['application/json']?.schema;
    if (newBody && !oldBody && b.requestBody?.required) this.breaking.push(`${where} body: new required request body`);
    if (oldBody || newBody) this.input(`${where} body`, oldBody, newBody);
    for (const [status, before] of Object.entries(a.responses ?? {})) {
      const response = this.component(this.oldDoc, 'responses', before);
      const after = this.component(this.newDoc, 'responses', b.responses?.[status]);
      // the headers of every documented answer (e.g. Retry-After on a 429) are promises; its body only for 2xx
      if (response && after) this.headers(`${where} → ${status}`, response, after);
      if (!status.startsWith('2')) continue;
      if (!after) this.breaking.push(`${where} → ${status}: response removed`);
      else {
        const json = (r: Response | undefined) => r?.content?.['application/json']?.schema;
        this.output(`${where} → ${status}`, json(response), json(after));
      }
    }
  }

  /** Response headers: a client reading one breaks when it disappears or its schema changes; names ignore case. */
  headers(where: string, a: Response, b: Response): void {
    const find = (headers: Record<string, Header> | undefined, name: string) =>
      Object.entries(headers ?? {}).find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
    for (const [name, before] of Object.entries(a.headers ?? {})) {
      const after = find(b.headers, name);
      const path = `${where} header ${name}`;
      if (!after) this.breaking.push(`${path}: response header removed`);
      else {
        const [x, y] = [this.component(this.oldDoc, 'headers', before), this.component(this.newDoc, 'headers', after)];
        this.output(path, x?.schema, y?.schema);
      }
    }
    for (const name of Object.keys(b.headers ?? {})) {
      if (!find(a.headers, name)) this.additions.push(`${where} header ${name}: response header added`);
    }
  }

  run(): OpenApiDiff {
    const oldPaths = (this.oldDoc['paths'] ?? {}) as Record<string, Record<string, Operation>>;
    const newPaths = (this.newDoc['paths'] ?? {}) as Record<string, Record<string, Operation>>;
    for (const [path, item] of Object.entries(oldPaths)) {
      for (const method of METHODS) {
        const before = item[method];
        if (!before) continue;
        const after = newPaths[path]?.[method];
        const where = `${method.toUpperCase()} ${path}`;
        if (!after) this.breaking.push(`${where}: operation removed`);
        else this.operation(where, before, after);
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
