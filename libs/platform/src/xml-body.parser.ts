import { ProblemError } from '@frontdoor/errors';
import { decodeBody, isTranslationError } from '@frontdoor/translator';
import type { FastifyInstance, FastifyRequest } from 'fastify';

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
 * the route's body limit (413 past it), then decoded by the translator — DOCTYPE and every markup declaration
 * refused, values kept as strings, charset from the header or the XML declaration — into the same plain object a
 * JSON body would give (`{ order: { … } }`, the root element as the single key). Every failure is a 400/413/415
 * problem that quotes nothing of the input.
 */
export function installXmlBodyParser(instance: FastifyInstance, bodyLimitBytes: number): void {
  instance.addContentTypeParser(XML_BODY_TYPES, { parseAs: 'buffer', bodyLimit: bodyLimitBytes }, (request: FastifyRequest, body: Buffer | string, done) => {
    try {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      done(null, decodeBody(bytes, request.headers['content-type'], { maxBytes: bodyLimitBytes }).value);
    } catch (error) {
      done(problemFor(error), undefined);
    }
  });
}
