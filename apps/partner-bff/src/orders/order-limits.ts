/**
 * The size of an order, in one place: the DTOs' `@ArrayMaxSize`/`maxItems` and the checks that run before
 * them ({@link OrderBodyInterceptor}, the order routes' body limit) read these constants, never a second
 * literal.
 */

/** The most lines one order may hold (v1 and v2 alike). */
export const MAX_ORDER_LINES = 50;

/**
 * The values (objects, arrays, strings, numbers…) the largest valid order holds: the order object,
 * `customerId`, the `items` array, and per line its object, `sku` and `quantity`.
 */
export const LARGEST_ORDER_VALUES = 3 + 3 * MAX_ORDER_LINES;

/**
 * A body holding more values than this is refused before class-transformer sees it: unknown fields are
 * refused by the DTO anyway, but only after class-transformer has copied every value they hold (60 KB of
 * `[1,1,…]` in an unknown field cost 0.4–0.8 s on a busy 2-core machine). Four times the largest valid order,
 * so that a valid order with a few stray fields still gets the DTO's own list of what is wrong.
 */
export const MAX_ORDER_VALUES = 4 * LARGEST_ORDER_VALUES;

/**
 * The body limit of the order-placing routes (Fastify `bodyLimit`; the app-wide one is 1 MiB). The largest
 * valid order — 50 lines, every value at its longest — is 4.7 KB as compact JSON, 6.0 KB indented by 2
 * spaces, 23.8 KB with every character of every key and string `\u`-escaped, 7.1 KB as indented XML
 * (measured, and posted, by `partner-bff.order-limits.e2e.spec.ts`). 64 KiB leaves room for any formatting,
 * and keeps the parser from reading and the translator from decoding 1 MiB (34,000 lines of JSON, 20,000 of
 * XML) for an order of a few kilobytes.
 */
export const ORDER_BODY_LIMIT_BYTES = 64 * 1024;
