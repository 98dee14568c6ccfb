/**
 * Compares a published OpenAPI 3 document (the committed lock) with the one the code generates now, and sorts
 * every difference into breaking changes (fail CI) and additions (pass). Hand-written: the npm tools for this
 * (openapi-diff, oasdiff) are Java/Go binaries or pull heavy dependency trees, and the rules a partner contract
 * needs are few and must be exact.
 *
 * Breaking: a removed path or operation; a removed response field, a changed type, a field no longer required
 * in a response; a new required input (parameter or body field), an optional input becoming required, a removed
 * input (unknown inputs are refused with 400); a removed enum value in an input; a new enum value in a response.
 */
export interface OpenApiDiff {
  readonly breaking: readonly string[];
  readonly additions: readonly string[];
}

type Json = Record<string, unknown>;
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
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

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
      const parts = schema.allOf.map((s) => this.resolve(doc, s, depth + 1) ?? {});
      return {
        type: 'object',
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
        required: parts.flatMap((p) => p.required ?? []),
      };
    }
    return schema;
  }

  typeOf(schema: Schema | undefined): string {
    if (!schema) return 'any';
    return `${schema.type ?? (schema.properties ? 'object' : 'any')}${schema.format ? `(${schema.format})` : ''}${schema.nullable ? '|null' : ''}`;
  }

  /** Response (output) schemas: clients read them, so fields must not disappear or change. */
  output(where: string, before: Schema | undefined, after: Schema | undefined, depth = 0): void {
    const a = this.resolve(this.oldDoc, before);
    const b = this.resolve(this.newDoc, after);
    if (!a || depth > 32) return;
    if (!b) return void this.breaking.push(`${where}: removed`);
    if (this.typeOf(a) !== this.typeOf(b)) return void this.breaking.push(`${where}: type changed from ${this.typeOf(a)} to ${this.typeOf(b)}`);
    // a client switching over the values it was promised meets a new one it cannot handle
    if (a.enum && !b.enum) this.breaking.push(`${where}: no longer limited to ${JSON.stringify(a.enum)}`);
    for (const value of b.enum ?? []) if (a.enum && !a.enum.includes(value)) this.breaking.push(`${where}: new value ${JSON.stringify(value)} in a response`);
    for (const [name, prop] of Object.entries(a.properties ?? {})) {
      const path = `${where}.${name}`;
      if (!b.properties?.[name]) this.breaking.push(`${path}: response field removed`);
      else {
        if ((a.required ?? []).includes(name) && !(b.required ?? []).includes(name)) this.breaking.push(`${path}: response field no longer required`);
        this.output(path, prop, b.properties[name], depth + 1);
      }
    }
    for (const name of Object.keys(b.properties ?? {})) if (!a.properties?.[name]) this.additions.push(`${where}.${name}: response field added`);
    if (a.items || b.items) this.output(`${where}[]`, a.items, b.items, depth + 1);
  }

  /** Request (input) schemas: new requirements and removed inputs break existing clients. */
  input(where: string, before: Schema | undefined, after: Schema | undefined, depth = 0): void {
    const a = this.resolve(this.oldDoc, before);
    const b = this.resolve(this.newDoc, after);
    if (!b || depth > 32) return;
    if (!a) return void this.additions.push(`${where}: input added`);
    if (this.typeOf(a) !== this.typeOf(b)) return void this.breaking.push(`${where}: type changed from ${this.typeOf(a)} to ${this.typeOf(b)}`);
    for (const value of a.enum ?? []) if (b.enum && !b.enum.includes(value)) this.breaking.push(`${where}: value ${JSON.stringify(value)} no longer accepted`);
    for (const [name, prop] of Object.entries(b.properties ?? {})) {
      const path = `${where}.${name}`;
      const required = (b.required ?? []).includes(name);
      if (!a.properties?.[name]) {
        if (required) this.breaking.push(`${path}: new required input`);
        else this.additions.push(`${path}: optional input added`);
      } else {
        if (required && !(a.required ?? []).includes(name)) this.breaking.push(`${path}: input became required`);
        this.input(path, a.properties[name], prop, depth + 1);
      }
    }
    for (const name of Object.keys(a.properties ?? {})) if (!b.properties?.[name]) this.breaking.push(`${where}.${name}: input removed`);
    if (a.items || b.items) this.input(`${where}[]`, a.items, b.items, depth + 1);
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
    for (const [status, response] of Object.entries(a.responses ?? {})) {
      if (!status.startsWith('2')) continue;
      const after = b.responses?.[status];
      if (!after) this.breaking.push(`${where} → ${status}: response removed`);
      else this.output(`${where} → ${status}`, response.content?.['application/json']?.schema, after.content?.['application/json']?.schema);
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
