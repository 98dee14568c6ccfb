import type { X2jOptions } from 'fast-xml-parser';
import { TranslationError } from './translation.errors';

type EntityDecoder = NonNullable<X2jOptions['entityDecoder']>;

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

// The empty last alternative catches every other '&' (an HTML or undeclared entity): not well-formed without a DTD.
const REFERENCE = /&(?:#x([0-9A-Fa-f]+);|#([0-9]+);|(lt|gt|amp|quot|apos);|)/g;

/** XML 1.0 `Char`: what a character reference may produce. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 || code === 0xa || code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
  );
}

function replaceReference(_match: string, hex?: string, decimal?: string, named?: string): string {
  if (named !== undefined) return PREDEFINED[named];
  const code = hex !== undefined ? parseInt(hex, 16) : decimal !== undefined ? parseInt(decimal, 10) : NaN;
  if (!isXmlChar(code)) throw new TranslationError('malformed', { detail: 'invalid entity or character reference' });
  return String.fromCodePoint(code);
}

/**
 * Replaces fast-xml-parser's entity decoder. Decodes the five predefined entities and numeric character references
 * (they are part of XML itself, not of a DTD, and one reference yields one character, so nothing can expand); any
 * other reference is malformed. DOCTYPEs are refused before parsing; should one ever reach the parser, its entities
 * arrive here and are refused again.
 */
export const XML_ENTITY_DECODER: EntityDecoder = {
  decode: (text) => (text.indexOf('&') === -1 ? text : text.replace(REFERENCE, replaceReference)),
  addInputEntities: () => {
    throw new TranslationError('doctype');
  },
  setExternalEntities: () => undefined,
  reset: () => undefined,
  setXmlVersion: () => undefined,
};
