import type { UpstreamRequest } from './upstream.types';

/**
 * Appends `query` to `path`, `encodeURIComponent`ing names and values; `undefined` values are skipped.
 * Returns `path` itself when nothing is added (no allocation on the common path).
 */
export function appendQuery(path: string, query: UpstreamRequest['query']): string {
  if (query === undefined) return path;
  let search = '';
  for (const name in query) {
    const value = query[name];
    if (value === undefined) continue;
    search += `${search === '' ? '' : '&'}${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`;
  }
  if (search === '') return path;
  return path + (path.includes('?') ? '&' : '?') + search;
}
