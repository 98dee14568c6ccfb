/**
 * The decoded answer without any key named in `keys`, at any depth (bounded by the decoder's limits). Copy on write:
 * an object or array that holds no such key, at any depth, is returned as it is, and a copy shares its untouched
 * parts with the original — the input is never changed. A copy is built by adding the kept keys rather than
 * `delete`-ing in place: `delete` turns an object into dictionary mode, which made the serialisation of every
 * redacted answer slower (profile of the web pass-through, docs/benchmarks.md). Copying everything instead cost
 * ~2.5 KB of garbage per redacted employee answer (heap profile of web-pass).
 */
export function redactKeys(value: unknown, keys: ReadonlySet<string>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Array.isArray(value) ? redactArray(value, keys) : redactRecord(value as Record<string, unknown>, keys);
}

function redactArray(items: readonly unknown[], keys: ReadonlySet<string>): readonly unknown[] {
  let copy: unknown[] | undefined;
  for (let at = 0; at < items.length; at++) {
    const item = items[at];
    const kept = redactKeys(item, keys);
    if (copy === undefined && kept !== item) copy = items.slice(0, at);
    if (copy !== undefined) copy.push(kept);
  }
  return copy ?? items;
}

function redactRecord(record: Record<string, unknown>, keys: ReadonlySet<string>): Record<string, unknown> {
  const names = Object.keys(record);
  let copy: Record<string, unknown> | undefined;
  for (let at = 0; at < names.length; at++) {
    const name = names[at] as string;
    const item = record[name];
    const dropped = keys.has(name);
    const kept = dropped ? undefined : redactKeys(item, keys);
    if (copy === undefined && (dropped || kept !== item)) {
      copy = {};
      for (let before = 0; before < at; before++) copy[names[before] as string] = record[names[before] as string];
    }
    if (copy !== undefined && !dropped) copy[name] = kept;
  }
  return copy ?? record;
}
