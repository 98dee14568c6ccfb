/**
 * Removes every key named in `keys` from a decoded answer, at any depth, in place (the value is the request's own
 * copy, fresh from the decoder). Depth is bounded by the decoder's limits.
 */
export function redactKeys(value: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) {
    for (const item of value) redactKeys(item, keys);
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (keys.has(key)) delete record[key];
      else redactKeys(record[key], keys);
    }
  }
  return value;
}
