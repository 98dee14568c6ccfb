import { Transform } from 'class-transformer';

// an optional minus, then 0 or a decimal number without leading zeros; 15 digits stay exact as a JS number
const DECIMAL_INTEGER = /^-?(?:0|[1-9]\d{0,14})$/;

/**
 * A query parameter converted to a number only when it is written as a decimal integer: `16` → 16. Anything else
 * stays as sent, so `@IsInt()` refuses it with a 400: `0x10`, `1e1`, ` 1`, `1.0`, `+1`, `` and a repeated parameter.
 * class-transformer's `@Type(() => Number)` converts with `Number()`, which reads every one of those as a number
 * (`limit=0x10` served 16 items, `limit=%20%31` one).
 */
export function QueryInteger(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value));
}
