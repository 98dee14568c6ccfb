/**
 * A copy of a decoded answer without any key named in `keys`, at any depth. Depth is bounded by the decoder's limits.
 * Copies the kept keys rather than `delete`-ing in place: `delete` turns an object into dictionary mode, which made
 * the serialisation of every redacted answer slower (profile of the web pass-through, docs/benchmarks.md).
 */
export function redactKeys(value: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => redactKeys(item, keys));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    if (!keys.has(key)) kept[key] = redactKeys(record[key], keys);
  }
  return kept;
}
