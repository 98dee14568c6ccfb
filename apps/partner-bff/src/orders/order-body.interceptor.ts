import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ProblemError } from '@frontdoor/errors';
import { XML_BODY_TYPES } from '@frontdoor/platform';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { MAX_ORDER_LINES, MAX_ORDER_VALUES } from './order-limits';

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields => value !== null && typeof value === 'object' && !Array.isArray(value);
const INTEGER = /^\s*\d{1,9}\s*$/;

/** Typed explicitly (XML text is never guessed at): digits become a number, anything else stays for validation to refuse. */
function integerOf(value: unknown): unknown {
  return typeof value === 'string' && INTEGER.test(value) ? Number(value) : value;
}

function linesOf(items: unknown): unknown {
  if (!isFields(items)) return items; // `<items/>` or text: validation says items must be an array
  const { item, ...others } = items;
  if (Object.keys(others).length > 0) return items; // elements other than <item>: refused by validation
  const lines = Array.isArray(item) ? item : item === undefined ? [] : [item];
  return lines.map((line) => (isFields(line) && 'quantity' in line ? Object.assign({}, line, { quantity: integerOf(line['quantity']) }) : line));
}

/**
 * The XML form of an order, as the platform's safe XML body parser decodes it (the root element as the single key,
 * every value a string, one `<item>` a single value rather than a list):
 * `<order><customerId>C0001</customerId><items><item><sku>SKU-00001</sku><quantity>2</quantity></item></items></order>`
 * → `{ customerId: 'C0001', items: [{ sku: 'SKU-00001', quantity: 2 }] }`, the shape a JSON body has. Other
 * elements are kept, so the DTO refuses them as it refuses unknown JSON fields. Pure.
 * @throws ProblemError `bad-request` (400) when the root element is not `<order>`
 */
export function orderFromXml(decoded: unknown): unknown {
  if (!isFields(decoded) || Object.keys(decoded).length !== 1 || !('order' in decoded)) {
    throw new ProblemError('bad-request', 'An XML order has one root element, <order>.');
  }
  const order = decoded['order'];
  if (!isFields(order)) return {}; // `<order/>`: validation lists what is missing
  const { items, ...fields } = order;
  return items === undefined ? fields : Object.assign({}, fields, { items: linesOf(items) });
}

const JSON_BODY_TYPES = /^application\/(?:[a-z0-9.-]+\+)?json\s*(?:;.*)?$/i;

/** An order is 3 levels deep (order → items → line); anything far deeper is refused before any recursive code sees it. */
export const MAX_ORDER_DEPTH = 8;

/**
 * Whether `value` nests objects or arrays more than `max` levels deep. Iterative: a 1 MiB JSON body can nest
 * hundreds of thousands of levels, which would overflow the stack of class-transformer and of the idempotency
 * fingerprint (PITFALLS §5). Pure.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * Whether `value` holds more than `max` values (itself, and every object, array and scalar inside it, at any
 * depth). Iterative, and stops at the first object or array that takes the count past `max`. Pure.
 */
export function holdsMoreValuesThan(value: unknown, max: number): boolean {
  let count = 1;
  const pending: unknown[] = [value];
  while (count <= max && pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    const children = Object.values(node);
    count += children.length;
    for (const child of children) pending.push(child);
  }
  return count > max;
}

/**
 * The refusal the DTOs' `items` decorators (`@IsArray`, `@ArrayMaxSize(MAX_ORDER_LINES)`) would give, given
 * before they run, or undefined. class-transformer builds, and class-validator validates, every line before
 * `@ArrayMaxSize` refuses the list: 34,000 lines (850 KB) cost ~0.8 s of the event loop, every partner's
 * requests waiting behind it. Reading `items.length` costs nothing. An absent `items` is left to the DTO (it
 * lists every missing field at once). Pure.
 */
export function itemsRefusalOf(body: unknown): ProblemError | undefined {
  if (!isFields(body) || !('items' in body)) return undefined;
  const items = body['items'];
  const error = !Array.isArray(items)
    ? 'items must be an array'
    : items.length > MAX_ORDER_LINES
      ? `items must contain no more than ${MAX_ORDER_LINES} elements`
      : undefined;
  if (error === undefined) return undefined;
  return new ProblemError('validation-failed', 'The request has invalid fields.', {
    extensions: { errors: [error] },
  });
}

/**
 * Order-placing routes accept JSON or XML, nothing else (the framework also parses form bodies app-wide: 415 here).
 * An XML body is turned into the JSON shape before the idempotency key is claimed (so both representations of one
 * order have one fingerprint) and before the DTO is validated. Refused here, before the idempotency
 * fingerprint, class-transformer and class-validator, whose cost grows with the body: a body nested deeper
 * than an order can be, an `items` that is no list or holds more than {@link MAX_ORDER_LINES} lines (in the
 * DTO's own words), and a body holding more values than {@link MAX_ORDER_VALUES} (unknown fields full of
 * values, which the DTO would refuse only after copying them all). The body itself is at most
 * ORDER_BODY_LIMIT_BYTES (the routes' `@BodyLimit`).
 * @throws ProblemError `unsupported-media-type` (415) for any other Content-Type
 * @throws ProblemError `bad-request` (400) for a body nested more than {@link MAX_ORDER_DEPTH} levels, or
 *   holding more than {@link MAX_ORDER_VALUES} values
 * @throws ProblemError `validation-failed` (400) for an `items` that is no list of at most
 *   {@link MAX_ORDER_LINES} lines
 */
@Injectable()
export class OrderBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const type = request.headers['content-type'] ?? '';
    if (XML_BODY_TYPES.test(type)) request.body = orderFromXml(request.body);
    else if (!JSON_BODY_TYPES.test(type)) throw new ProblemError('unsupported-media-type', 'An order is sent as application/json or application/xml.');
    if (nestedDeeperThan(request.body, MAX_ORDER_DEPTH)) throw new ProblemError('bad-request', 'The request body is nested too deeply.');
    const refusal = itemsRefusalOf(request.body);
    if (refusal !== undefined) throw refusal;
    if (holdsMoreValuesThan(request.body, MAX_ORDER_VALUES)) {
      throw new ProblemError('bad-request', 'The request body holds more values than an order can.');
    }
    return next.handle();
  }
}
