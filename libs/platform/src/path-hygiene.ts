/**
 * PRODUCT.md: paths are percent-decoded exactly once; a decoded segment that is `.` or `..`, or that contains
 * `/`, `\`, NUL or `%`, is refused with 400 before any routing or authorization. We also refuse empty interior
 * segments (`//`), raw backslashes, control characters and the `..;` path-parameter trick, so that the path we
 * authorize, route and call upstream with is the one the client sent.
 *
 * Returns undefined when the path is clean, else a reason safe to show the client.
 */
export function findPathProblem(rawUrl: string): string | undefined {
  const queryAt = rawUrl.indexOf('?');
  const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  // Fast path: nothing that could hide a traversal or an encoding trick.
  if (!SUSPICIOUS.test(path)) return undefined;
  if (!path.startsWith('/')) return 'the path must start with /';
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const raw = segments[i] as string;
    if (raw === '') {
      if (i === segments.length - 1) continue; // a trailing slash is the router's business (404)
      return 'empty path segments are not allowed';
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return 'the path has an invalid percent-encoding';
    }
    if (decoded === '.' || decoded === '..' || /^\.\.?;/.test(decoded)) return 'dot segments are not allowed';
    if (FORBIDDEN_IN_SEGMENT.test(decoded)) return 'a path segment contains a forbidden character';
  }
  return undefined;
}

/**
 * The rest of the request target, checked as strictly as the path: a raw `#` (RFC 9112 §3.2: a request target
 * carries no fragment; it was read as part of the query, `?a=1#frag` as a parameter `frag`), and a query whose
 * percent-encoding is not valid UTF-8 (`?q=%C3`, `?q=%zz`: it was passed upstream re-encoded, `q=%25C3`, a value the
 * client never sent). Two character searches on a clean target.
 * Returns undefined when the target is clean, else a reason safe to show the client.
 */
export function findTargetProblem(rawUrl: string): string | undefined {
  if (rawUrl.indexOf('#') !== -1) return 'a request target carries no fragment (#)';
  const queryAt = rawUrl.indexOf('?');
  if (queryAt === -1 || rawUrl.indexOf('%', queryAt) === -1) return undefined;
  try {
    decodeURIComponent(rawUrl.slice(queryAt + 1));
    return undefined;
  } catch {
    return 'the query string has an invalid percent-encoding';
  }
}

// eslint-disable-next-line no-control-regex
const SUSPICIOUS = /[%\\\x00-\x1f\x7f]|\/\/|\/\.\.?(?:\/|;|$)|^[^/]/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_SEGMENT = /[/\\%\x00-\x1f\x7f]/;

const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/**
 * RFC 9112 §3.2.2: a server MUST accept a request-target in absolute-form (`GET http://host/path HTTP/1.1`, what a
 * client sends through a forward proxy), using the host it names and ignoring `Host`. Nothing here routes by host, so
 * the target becomes its origin-form (`/path`, query kept) before routing; path hygiene then checks that as usual.
 * Fastify's `rewriteUrl`: one character test for every origin-form request.
 */
export function originFormOf(url: string): string {
  if (url.charCodeAt(0) === 47 /* '/' */) return url;
  const authority = ABSOLUTE_FORM.exec(url);
  if (authority === null) return url; // asterisk-form or garbage: refused by path hygiene
  const rest = url.slice(authority[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}
