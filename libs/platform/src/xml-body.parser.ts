import { isUtf8 } from 'node:buffer';
import { SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ProblemError } from '@frontdoor/errors';
import { decodeBody, decodeJson, isTranslationError } from '@frontdoor/translator';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * A request body read within the body limit but not decoded yet. Fastify's content-type parsers run before any
 * guard, so decoding there let an anonymous client make the gateway parse up to BODY_LIMIT_BYTES of JSON or XML
 * (milliseconds of CPU for 1 MiB) before learning it was 401, 429 or 403 — and the 429 never protected it, since
 * the rate limit is a guard too. The parsers keep the bytes; {@link BodyDecodingGuard}, the last guard, decodes
 * them once the request is known to be authenticated, within its limits and allowed (Envoy's and Kong's order:
 * authentication from the headers, the body after).
 */
export class PendingBody {
  /** `xml`: an XML body, decoded only for a handler marked {@link AcceptsXmlBody}. */
  constructor(
    private readonly decodeIt: () => unknown,
    readonly xml = false,
  ) {}

  /** @throws ProblemError 400/413/415, as the parsers answered before */
  decode(): unknown {
    return this.decodeIt();
  }
}

/**
 * The request body decoded (JSON or XML → plain data) after every other guard and before interceptors, pipes and
 * the handler — all of which see `request.body` as decoded data, as before. Registered last by createBffApp.
 * @throws ProblemError 400 (malformed, too deep, reserved keys, DOCTYPE), 413, 415 (charset)
 */
export class BodyDecodingGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.body instanceof PendingBody) {
      if (request.body.xml && Reflect.getMetadata(XML_BODY, context.getHandler()) !== true) throw NOT_ACCEPTED();
      refuseContentCoding(request.headers['content-encoding']);
      request.body = request.body.decode();
    }
    return true;
  }
}

const XML_BODY = 'frontdoor:accepts-xml-body';
/** A body of a media type the route does not take: an XML body where no handler takes XML, a form, text. */
const NOT_ACCEPTED = () => new ProblemError('unsupported-media-type', 'The request body has a media type this route does not accept.');

/**
 * The handler takes XML request bodies (partner orders): on every other route an XML body is a 415 before anything
 * decodes it — a malformed one was a 400 "not well-formed XML" on routes that take JSON only, a well-formed one a 415.
 */
export const AcceptsXmlBody = (): MethodDecorator => SetMetadata(XML_BODY, true);

/**
 * Bodies are decoded as they came: a body sent with a content coding (gzip, br…) is refused with 415 and
 * `Accept-Encoding: identity` (RFC 9110 §15.5.16), never read as if it were plain — a `gzip` body was a confusing 400
 * "malformed", and a plain body labelled `identity, br` was accepted although the label said otherwise.
 * @throws ProblemError 415
 */
function refuseContentCoding(coding: string | string[] | undefined): void {
  if (coding === undefined || (typeof coding === 'string' && IDENTITY.test(coding))) return;
  throw new ProblemError('unsupported-media-type', 'The request body has a content coding this gateway does not decode; send it uncompressed.', {
    headers: { 'Accept-Encoding': 'identity' },
  });
}

const IDENTITY = /^\s*(?:identity)?\s*$/i;

/** Media types whose request bodies are parsed as XML. */
export const XML_BODY_TYPES = /^(?:application\/xml|text\/xml|application\/[a-z0-9.-]+\+xml)(?:\s*;.*)?$/i;

function problemFor(error: unknown): ProblemError {
  if (!isTranslationError(error)) return new ProblemError('bad-request', 'The request body is not well-formed XML.', { cause: error });
  switch (error.failure) {
    case 'too-large':
      return new ProblemError('payload-too-large', 'The request body is larger than this route accepts.', { cause: error });
    case 'unsupported-charset':
      return new ProblemError('unsupported-media-type', 'The request body uses an unsupported charset.', { cause: error });
    case 'doctype':
      return new ProblemError('bad-request', 'Document type declarations are not allowed in request bodies.', { cause: error });
    case 'too-deep':
      return new ProblemError('bad-request', 'The request body is nested too deeply.', { cause: error });
    case 'unsafe-name':
      return new ProblemError('bad-request', 'The request body uses a reserved element name.', { cause: error });
    default:
      return new ProblemError('bad-request', 'The request body is not well-formed XML.', { cause: error });
  }
}

/**
 * Partners may send XML (`Content-Type: application/xml`, `text/xml`, `*+xml`): the body is read as bytes within
 * the route's body limit (413 past it), then, after the other guards ({@link BodyDecodingGuard}), decoded by the
 * translator — DOCTYPE and every markup declaration refused, values kept as strings, charset from the header or the
 * XML declaration — into the same plain object a JSON body would give (`{ order: { … } }`, the root element as the single key). Every failure is a 400/413/415
 * problem that quotes nothing of the input.
 */
export function installXmlBodyParser(instance: FastifyInstance, bodyLimitBytes: number): void {
  instance.addContentTypeParser(XML_BODY_TYPES, { parseAs: 'buffer', bodyLimit: bodyLimitBytes }, (request: FastifyRequest, body: Buffer | string, done) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const type = request.headers['content-type'];
    done(
      null,
      new PendingBody(() => {
        try {
          return decodeBody(bytes, type, { maxBytes: bodyLimitBytes }).value;
        } catch (error) {
          throw problemFor(error);
        }
      }, true),
    );
  });
}

/** Media types whose request bodies are parsed as JSON. */
const JSON_BODY_TYPES = /^application\/(?:[a-z0-9.-]+\+)?json(?:\s*;.*)?$/i;
/** Whether a JSON Content-Type names no charset, or UTF-8 (or its subset US-ASCII). */
function isUtf8Json(contentType: string): boolean {
  const at = contentType.indexOf(';');
  if (at === -1) return true;
  for (const param of contentType.slice(at + 1).split(';')) {
    const eq = param.indexOf('=');
    if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    const value = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    if (value !== 'utf-8' && value !== 'utf8' && value !== 'us-ascii') return false;
  }
  return true;
}
/** Deeper request bodies are refused before any DTO code sees them (class-transformer recurses: PITFALLS §5). */
const MAX_JSON_DEPTH = 32;

/**
 * JSON request bodies, for every route: read within the body limit, then (by {@link BodyDecodingGuard}, after the
 * other guards) parsed by the translator, nesting capped at 32
 * levels (a 20,000-deep body fits in 1 MiB and would overflow the stack of the validation pipe), `__proto__`,
 * `constructor` and `prototype` keys refused. Replaces Fastify's and Nest's parsers; form bodies are not parsed
 * at all (415), since no route takes them.
 */
export function installJsonBodyParser(instance: FastifyInstance, bodyLimitBytes: number): void {
  if (instance.hasContentTypeParser('application/json')) instance.removeContentTypeParser('application/json');
  // read as bytes: Fastify's `parseAs: 'string'` decodes while reading and counts the decoded text's bytes against
  // Content-Length, so any body that is not UTF-8 (a gzip body) was a 400 "malformed" before any guard, on any path
  instance.addContentTypeParser(JSON_BODY_TYPES, { parseAs: 'buffer', bodyLimit: bodyLimitBytes }, (request: FastifyRequest, body: Buffer | string, done) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    done(
      null,
      new PendingBody(() => {
        // RFC 8259 §8.1: JSON is UTF-8; a body declared in another charset was read as UTF-8 and would be garbled
        if (!isUtf8Json(request.headers['content-type'] ?? '')) {
          throw new ProblemError('unsupported-media-type', 'The request body uses an unsupported charset.');
        }
        // never decoded with replacement characters: a name or an id would reach the upstream changed
        if (!isUtf8(bytes)) throw new ProblemError('bad-request', 'The request body is not valid UTF-8.');
        try {
          return decodeJson(bytes.toString('utf8'), { maxBytes: bodyLimitBytes, maxDepth: MAX_JSON_DEPTH });
        } catch (error) {
          throw jsonProblemFor(error);
        }
      }),
    );
  });
}

/**
 * Every other media type (forms, multipart, text…): no route takes them, so they are a 415 — but only once the
 * guards let the request in, like a bad JSON or XML body, so a refused client gets its 401/429/403 first whatever
 * it sent (Fastify, with no parser for the type, answered 415 before any guard). The bytes are read within the body
 * limit and never looked at. Registered after the JSON and XML parsers: Fastify tries the catch-all last.
 */
export function installOtherBodyParser(instance: FastifyInstance, bodyLimitBytes: number): void {
  // Fastify's own text/plain parser would hand a string to the DTO pipes (a 400 about fields): no route takes text
  if (instance.hasContentTypeParser('text/plain')) instance.removeContentTypeParser('text/plain');
  const refuse = new PendingBody(() => {
    throw NOT_ACCEPTED();
  });
  instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: bodyLimitBytes }, (_request: FastifyRequest, _body: Buffer | string, done) => done(null, refuse));
}

function jsonProblemFor(error: unknown): ProblemError {
  if (isTranslationError(error) && error.failure === 'too-large') {
    return new ProblemError('payload-too-large', 'The request body is larger than this route accepts.', { cause: error });
  }
  if (isTranslationError(error) && error.failure === 'too-deep') {
    return new ProblemError('bad-request', `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`, { cause: error });
  }
  if (isTranslationError(error) && error.failure === 'unsafe-name') {
    return new ProblemError('bad-request', 'The request body uses a reserved key (__proto__, constructor or prototype).', { cause: error });
  }
  return new ProblemError('bad-request', 'The request body is not valid JSON.', { cause: error });
}
