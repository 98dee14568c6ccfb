import { toProblemDocument, type ProblemDocument } from '@frontdoor/errors';
import { encodeXml, negotiate } from '@frontdoor/translator';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** JSON first: a tie (`*\/*`, or both named at the same q) answers JSON. The problem types count as asked for. */
const PROBLEM_FORMATS = ['application/json', 'application/xml', 'application/problem+json', 'application/problem+xml'] as const;

/**
 * Problems answer in XML only for a client that prefers XML (partners); everyone else gets JSON. Negotiated as
 * answers are (media types compare case-insensitively; `application/json;q=0, *\/*` refuses JSON), so a client gets
 * its errors in the format its successes come in. An Accept naming no XML and refusing nothing skips negotiation.
 */
export function prefersXml(accept: string | undefined): boolean {
  if (!accept || !XML_OR_REFUSAL.test(accept)) return false;
  const format = negotiate(accept, PROBLEM_FORMATS);
  return format === 'application/xml' || format === 'application/problem+xml';
}

const XML_OR_REFUSAL = /xml|q=0/i;

/** The request path without its query string (a query may carry secrets; it is never echoed). */
export function instanceOf(url: string): string {
  const at = url.indexOf('?');
  return at === -1 ? url : url.slice(0, at);
}

/** The most of a request path a problem (`instance`) or an access line repeats; past it, the path is cut. */
export const SHOWN_PATH_CHARS = 256;

/**
 * {@link instanceOf}, cut after {@link SHOWN_PATH_CHARS} characters and marked `...` (never inside a `%XX` escape, so
 * it stays a URI reference): a 16 KiB path made a 16 KiB problem body and access line. A path within the bound is
 * returned as it is, without a copy.
 */
export function shownPathOf(url: string): string {
  const path = instanceOf(url);
  if (path.length <= SHOWN_PATH_CHARS) return path;
  const escape = path.lastIndexOf('%', SHOWN_PATH_CHARS - 1);
  const end = escape > SHOWN_PATH_CHARS - 3 ? escape : SHOWN_PATH_CHARS;
  return `${path.slice(0, end)}...`;
}

/** RFC 9457 Appendix B: problem+xml in the RFC's namespace; undefined when an extension cannot be XML. */
function problemXml(document: ProblemDocument): string | undefined {
  try {
    return encodeXml(document, 'problem', { namespace: 'urn:ietf:rfc:7807', itemName: () => 'i' });
  } catch {
    return undefined; // an extension key that is no XML name: answer in JSON rather than not at all
  }
}

/** Writes a problem document as the answer, in JSON or XML per the client's Accept. */
export function sendProblemDocument(
  reply: FastifyReply,
  request: FastifyRequest,
  document: ProblemDocument,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (reply.sent) return;
  reply.send(problemPayloadOf(reply, request, document, headers));
}

/**
 * What `sendProblemDocument` sends, for an `onSend` hook that turns the answer being sent into a problem (it cannot
 * send another): sets the problem's status and headers on the reply and returns its body, in JSON or XML per the
 * client's Accept.
 */
export function problemPayloadOf(
  reply: FastifyReply,
  request: FastifyRequest,
  document: ProblemDocument,
  headers: Readonly<Record<string, string>> = {},
): string {
  reply.header('x-request-id', request.id);
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  reply.header('cache-control', 'no-store');
  reply.status(document.status);
  const xml = prefersXml(request.headers.accept) ? problemXml(document) : undefined;
  if (xml !== undefined) {
    reply.type('application/problem+xml; charset=utf-8');
    return xml;
  }
  reply.type('application/problem+json; charset=utf-8');
  return JSON.stringify(document);
}

/** Renders any thrown value (see `toProblemDocument`) as the answer; `instance`: the path, cut (shownPathOf). */
export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  error: unknown,
  instance = shownPathOf(request.url),
): ProblemDocument {
  const { document, headers } = toProblemDocument(error, request.id, instance);
  sendProblemDocument(reply, request, document, headers);
  return document;
}
