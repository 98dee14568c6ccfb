import type { FastifyInstance } from 'fastify';

/**
 * RFC 9110 §12.5.3: in `Accept-Encoding`, `*` stands for every coding the header does not name, so `gzip;q=0, *`
 * refuses gzip and accepts the others. @fastify/compress rewrites `*` to `gzip` before it negotiates (`getEncodingHeader`),
 * so that client got gzip, the one coding it refused. Written by hand because the library's negotiation is not
 * configurable: the header is rewritten here first, `*` replaced by the offered codings it does not name, with its q.
 * Returns the header unchanged when it holds no `*`. Pure.
 */
export function expandAcceptEncodingWildcard(header: string, offered: readonly string[]): string {
  if (!header.includes('*')) return header;
  const entries = header.split(',').map((raw) => raw.trim()).filter((entry) => entry !== '');
  const nameOf = (entry: string) => (entry.split(';', 1)[0] as string).trim().toLowerCase();
  const named = new Set(entries.map(nameOf));
  const out: string[] = [];
  for (const entry of entries) {
    if (nameOf(entry) !== '*') {
      out.push(entry);
      continue;
    }
    const params = entry.slice(entry.split(';', 1)[0]?.length ?? 1);
    for (const coding of offered) if (!named.has(coding)) out.push(`${coding}${params}`);
  }
  return out.join(', ');
}

/** An `onRequest` hook giving @fastify/compress a header in which `*` means what RFC 9110 says (see above). */
export function installAcceptEncodingWildcard(instance: FastifyInstance, offered: readonly string[]): void {
  instance.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers['accept-encoding'];
    if (typeof header === 'string' && header.includes('*')) request.headers['accept-encoding'] = expandAcceptEncodingWildcard(header, offered);
    done();
  });
}
