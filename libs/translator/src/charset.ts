import { TranslationError } from './translation.errors';

type Decode = (bytes: Uint8Array) => string;

// Built once. UTF-8 is fatal: a body that is not UTF-8 is malformed, not silently full of U+FFFD. It strips a BOM.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

// WHATWG (and so browsers) decode the labels latin1 / iso-8859-1 as windows-1252, which differs from ISO-8859-1 only
// in 0x80–0x9F: `€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ` instead of C1 controls nobody sends. Legacy
// systems that declare ISO-8859-1 and write `€` as 0x80 therefore decode correctly. Node's own TextDecoder('latin1')
// is not used: since 20.18.3 it decodes true ISO-8859-1, unlike browsers (nodejs/node#60888, #56542), and a fix
// would silently change our output on a Node upgrade. This table makes the result the same on every version.
const WINDOWS_1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';
const C1 = /[\u0080-\u009F]/g;

function isoLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function windows1252(bytes: Uint8Array): string {
  const text = isoLatin1(bytes);
  return text.search(C1) === -1 ? text : text.replace(C1, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]);
}

const utf8: Decode = (bytes) => UTF8.decode(bytes);

const DECODERS: ReadonlyMap<string, Decode> = new Map([
  ['utf-8', utf8],
  ['utf8', utf8],
  // ASCII is a subset of UTF-8; decoding it as UTF-8 refuses stray bytes that are not UTF-8 either.
  ['us-ascii', utf8],
  ['ascii', utf8],
  ['iso-8859-1', windows1252],
  ['iso8859-1', windows1252],
  ['iso_8859-1', windows1252],
  ['latin1', windows1252],
  ['l1', windows1252],
  ['windows-1252', windows1252],
  ['cp1252', windows1252],
]);

const DECLARATION_HEAD = 512;
const XML_DECLARATION_ENCODING = /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/;

function startsWith(bytes: Uint8Array, ...prefix: number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

/** The `encoding="…"` of an XML declaration at the very start of `bytes`, if any. */
export function xmlDeclarationEncoding(bytes: Uint8Array): string | undefined {
  if (!startsWith(bytes, 0x3c, 0x3f, 0x78, 0x6d, 0x6c)) return undefined; // '<?xml'
  // The declaration is ASCII in every charset we support, so reading the head byte for byte is exact.
  return XML_DECLARATION_ENCODING.exec(isoLatin1(bytes.subarray(0, DECLARATION_HEAD)))?.[1];
}

/**
 * Decodes `bytes` in the charset named by `label` (default UTF-8). A UTF-8 byte order mark wins over the label and
 * is stripped (WHATWG "BOM sniffing"); a UTF-16 one is refused.
 *
 * @throws TranslationError `'unsupported-charset'` for any charset but UTF-8, US-ASCII (decoded as UTF-8) and
 *   ISO-8859-1/latin1 (decoded as windows-1252, as WHATWG does); `'malformed'` for invalid UTF-8.
 */
export function decodeText(bytes: Uint8Array, label: string | undefined): string {
  let decode: Decode | undefined;
  if (startsWith(bytes, 0xef, 0xbb, 0xbf)) decode = utf8;
  else if (startsWith(bytes, 0xfe, 0xff) || startsWith(bytes, 0xff, 0xfe)) decode = undefined;
  else decode = DECODERS.get((label ?? 'utf-8').trim().toLowerCase());
  if (decode === undefined) throw new TranslationError('unsupported-charset');
  try {
    return decode(bytes);
  } catch {
    throw new TranslationError('malformed', { detail: 'invalid byte sequence' });
  }
}
