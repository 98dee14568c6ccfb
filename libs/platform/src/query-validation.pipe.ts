import { BadRequestException, ValidationPipe, type ArgumentMetadata, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

type Dto = Record<string, unknown>;
type Class = abstract new (...args: never[]) => unknown;

/** Query objects whose validated DTO is remembered, per DTO class: enough for the paging and filter combinations
 * real clients repeat, small enough (a few hundred bytes each) not to matter; the oldest is forgotten first. */
export const QUERY_MEMO_ENTRIES = 500;

const NOT_DTOS: ReadonlySet<unknown> = new Set([Object, String, Number, Boolean, Array]);

/** Fastify's query parser gives string values, or arrays of strings for a repeated key: nothing else is remembered. */
function isQueryObject(value: unknown): value is Record<string, string | string[]> {
  if (value === null || typeof value !== 'object') return false;
  for (const key in value) {
    const v = (value as Dto)[key];
    if (typeof v !== 'string' && !(Array.isArray(v) && v.every((item) => typeof item === 'string'))) return false;
  }
  return true;
}

/** A DTO made of primitives only can be copied safely; one holding objects or arrays is not remembered. */
function isFlat(dto: unknown): dto is Dto {
  if (dto === null || typeof dto !== 'object') return false;
  for (const key of Object.keys(dto)) {
    const v = (dto as Dto)[key];
    if (v !== null && (typeof v === 'object' || typeof v === 'function')) return false;
  }
  return true;
}

/** class-validator's checks of a value's type: when one fails, the range and format checks say nothing useful. */
const TYPE_CHECKS: ReadonlySet<string> = new Set(['isInt', 'isNumber', 'isString', 'isBoolean', 'isArray', 'isObject']);

/** The property's type problem alone when it has one (nested DTOs likewise); its other problems otherwise. */
function typeFirst(error: ValidationError): ValidationError {
  const all = error.constraints ?? {};
  const failed = Object.keys(all).filter((name) => TYPE_CHECKS.has(name));
  const constraints = failed.length === 0 ? error.constraints : Object.fromEntries(failed.map((name) => [name, all[name] as string]));
  const copy = Object.create(Object.getPrototypeOf(error) as object) as ValidationError;
  return Object.assign(copy, error, { constraints, children: error.children?.map(typeFirst) });
}

/**
 * `ValidationPipe` whose 400 names one problem per property when the value has the wrong type: `limit=abc` said
 * "limit must not be greater than 50", "limit must not be less than 1" and "limit must be an integer number" (the
 * range checks fail on anything not a number); now only the last. Values of the right type keep every problem they have
 * (`limit=0&offset=-1` names both). class-validator's `stopAtFirstError` would keep the first check declared, which
 * is the range check, decorators being applied bottom-up.
 */
export class TypeFirstValidationPipe extends ValidationPipe {
  protected override flattenValidationErrors(validationErrors: ValidationError[]): string[] {
    return super.flattenValidationErrors(validationErrors.map(typeFirst));
  }

  /**
   * A query key given twice (`limit=1&limit=2`) arrives as an array, which every scalar check refuses: its problem is
   * named as what it is, "limit must be given once", not "limit must be an integer number" (found by a black-box
   * audit). Only a query holding a repeated key takes this path; every other argument goes straight through.
   */
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const validated = super.transform(value, metadata) as Promise<unknown>;
    const repeated = metadata.type === 'query' ? repeatedKeysOf(value) : undefined;
    if (repeated === undefined) return validated;
    return validated.catch((error: unknown) => {
      throw namingRepeatedKeys(error, repeated);
    });
  }
}

/** The keys of a query given more than once (an array value), or undefined when none is: nothing allocated then. */
function repeatedKeysOf(query: unknown): string[] | undefined {
  if (query === null || typeof query !== 'object') return undefined;
  let repeated: string[] | undefined;
  for (const key in query) if (Array.isArray((query as Dto)[key])) (repeated ??= []).push(key);
  return repeated;
}

/** The 400 of ValidationPipe with the problems of each `repeated` key replaced by one saying so. */
function namingRepeatedKeys(error: unknown, repeated: readonly string[]): unknown {
  if (!(error instanceof BadRequestException)) return error;
  const messages = (error.getResponse() as { message?: unknown }).message;
  if (!Array.isArray(messages)) return error;
  const named = messages.map((message: string) => {
    const key = repeated.find((k) => message.startsWith(`${k} `) && !message.endsWith(' should not exist'));
    return key === undefined ? message : `${key} must be given once`;
  });
  return new BadRequestException([...new Set(named)]);
}

/**
 * The global `ValidationPipe`, except that a whole query DTO (`@Query() q: ListProductsQuery`) already validated for
 * the same query string is answered from memory: a fresh instance of the DTO class holding the same converted values.
 * Validating a two-field query with class-transformer + class-validator costs ~11 µs in isolation and ~5 % of a list
 * route's CPU in the benchmark's profile (docs/benchmarks.md), and list routes see the same few queries over and over
 * (`?limit=20`, the next page…). Written here rather than found in a library: class-validator has no compiled or
 * cached form, and the pipe is the one place that knows the DTO class and the raw query together.
 *
 * Only successes are remembered (a refused query is validated every time, so its 400 is exactly ValidationPipe's);
 * only flat DTOs (primitive values) are, so a handler mutating its DTO cannot change another request's. This relies
 * on a query DTO's validators being pure functions of the query — true of class-validator's built-ins and of ours
 * (`IsProductFieldset`); a validator that reads time or state would need its DTO kept out of here.
 */
export class QueryValidationPipe extends TypeFirstValidationPipe {
  private readonly memo = new Map<Class, Map<string, Dto>>();

  constructor(options: ValidationPipeOptions, private readonly maxEntries = QUERY_MEMO_ENTRIES) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype as Class | undefined;
    if (metadata.type !== 'query' || metadata.data !== undefined || type === undefined || NOT_DTOS.has(type) || !isQueryObject(value)) {
      return super.transform(value, metadata);
    }
    // JSON of an object of strings (and string arrays) is unambiguous, and keeps the query's key order
    const key = JSON.stringify(value);
    let known = this.memo.get(type);
    const hit = known?.get(key);
    if (hit !== undefined) return Object.assign(Object.create(type.prototype as object) as Dto, hit);
    const dto = await super.transform(value, metadata);
    if (isFlat(dto)) {
      if (known === undefined) this.memo.set(type, (known = new Map()));
      if (known.size >= this.maxEntries) known.delete(known.keys().next().value as string);
      known.set(key, { ...dto });
    }
    return dto;
  }
}
