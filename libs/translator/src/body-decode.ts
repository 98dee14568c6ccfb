import { decodeText, xmlDeclarationEncoding } from './charset';
import { decodeJsonText } from './json-decode';
import { resolveLimits } from './limits';
import { paramOf, parseMediaType, type ParsedMediaType } from './media-type';
import { TranslationError } from './translation.errors';
import { decodeXmlText, type XmlDecodeOptions } from './xml-decode';

/** The wire format a body was decoded from. */
export type BodyFormat = 'json' | 'xml';

/** A decoded body: plain data, whatever the wire format was. */
export interface DecodedBody {
  readonly format: BodyFormat;
  readonly value: unknown;
}

function formatOf({ type, subtype }: ParsedMediaType): BodyFormat | undefined {
  if (type === '*' || subtype.startsWith('*')) return undefined;
  if ((type === 'application' && subtype === 'json') || subtype.endsWith('+json')) return 'json';
  if (((type === 'application' || type === 'text') && subtype === 'xml') || subtype.endsWith('+xml')) return 'xml';
  return undefined;
}

interface KnownContentType {
  readonly media: ParsedMediaType;
  readonly format: BodyFormat;
}

// Upstreams answer with the same few Content-Type values: each is parsed once (bounded; long values never cached).
const CONTENT_TYPES_CACHED = 64;
const contentTypes = new Map<string, KnownContentType | undefined>();

function contentTypeOf(value: string): KnownContentType | undefined {
  if (contentTypes.has(value)) return contentTypes.get(value);
  const media = parseMediaType(value);
  const format = media === undefined ? undefined : formatOf(media);
  const known = media === undefined || format === undefined ? undefined : { media, format };
  if (value.length <= 256 && contentTypes.size < CONTENT_TYPES_CACHED) contentTypes.set(value, known);
  return known;
}

/**
 * Decodes a body by its Content-Type: JSON for `application/json` and any `+json` (e.g. `application/problem+json`),
 * XML for `application/xml`, `text/xml` and any `+xml`. The charset comes from the `charset` parameter, else (XML)
 * from the declaration's `encoding="…"`, else UTF-8; a UTF-8 BOM wins and is stripped. Supported: UTF-8, US-ASCII,
 * ISO-8859-1/latin1 (decoded as windows-1252, as browsers do). `maxBytes` (default 1 MiB) is checked on
 * `bytes.byteLength` before decoding; `maxDepth` and `arrays` are as for `decodeJson` / `decodeXml`.
 *
 * @throws TranslationError `'unsupported-type'` (also for a missing Content-Type), `'too-large'`,
 *   `'unsupported-charset'`, `'malformed'` (including bytes invalid in their charset), and whatever `decodeJson` /
 *   `decodeXml` throw.
 */
export function decodeBody(
  bytes: Uint8Array,
  contentType: string | undefined,
  options?: XmlDecodeOptions,
): DecodedBody {
  const known = contentType === undefined ? undefined : contentTypeOf(contentType);
  if (known === undefined) throw new TranslationError('unsupported-type');
  const { media, format } = known;
  const { maxBytes, maxDepth } = resolveLimits(options);
  if (bytes.byteLength > maxBytes) throw new TranslationError('too-large', { detail: `more than ${maxBytes} bytes` });
  const charset = paramOf(media, 'charset') ?? (format === 'xml' ? xmlDeclarationEncoding(bytes) : undefined);
  const text = decodeText(bytes, charset);
  return format === 'json'
    ? { format, value: decodeJsonText(text, maxDepth) }
    : { format, value: decodeXmlText(text, maxDepth, options?.arrays) };
}
