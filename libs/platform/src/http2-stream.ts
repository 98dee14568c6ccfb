/**
 * Whether a request came on an HTTP/2 stream (`Http2ServerRequest`, which has one) rather than an HTTP/1
 * connection. Not `httpVersionMajor`: Node's HTTP/1 parser also accepts the request lines `HTTP/2.0` (for the HTTP/2
 * preface, `PRI * HTTP/2.0`) and `HTTP/0.9` and hands them on as ordinary requests with a major version of 2 or 0;
 * the security hook refuses them (505), and until then they are HTTP/1 requests like any other.
 */
export function onHttp2Stream(raw: object): boolean {
  return (raw as { stream?: unknown }).stream !== undefined;
}
