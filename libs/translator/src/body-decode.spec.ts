import { decodeBody } from './body-decode';
import { isTranslationError, type TranslationFailure } from './translation.errors';

function failureOf(run: () => unknown): TranslationFailure | 'none' | 'other' {
  try {
    run();
    return 'none';
  } catch (error) {
    return isTranslationError(error) ? error.failure : 'other';
  }
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const latin1 = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));
const withBom = (bytes: Uint8Array): Uint8Array => Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]);

describe('decodeBody chooses the format by Content-Type', () => {
  const json = utf8('{"a":"1"}');
  const xml = utf8('<r><a>1</a></r>');
  it.each<[string, string | undefined, Uint8Array, 'json' | 'xml' | TranslationFailure]>([
    ['application/json', 'application/json', json, 'json'],
    ['with a charset', 'application/json; charset=utf-8', json, 'json'],
    ['upper case', 'Application/JSON', json, 'json'],
    ['application/problem+json', 'application/problem+json', json, 'json'],
    ['a vendor +json', 'application/vnd.frontdoor.v2+json', json, 'json'],
    ['application/xml', 'application/xml', xml, 'xml'],
    ['text/xml', 'text/xml; charset="utf-8"', xml, 'xml'],
    ['application/atom+xml', 'application/atom+xml', xml, 'xml'],
    ['application/problem+xml', 'application/problem+xml', xml, 'xml'],
    ['text/html', 'text/html', xml, 'unsupported-type'],
    ['text/plain', 'text/plain', json, 'unsupported-type'],
    ['text/json (not registered)', 'text/json', json, 'unsupported-type'],
    ['a wildcard', '*/*', json, 'unsupported-type'],
    ['a missing Content-Type', undefined, json, 'unsupported-type'],
    ['an empty Content-Type', '', json, 'unsupported-type'],
    ['garbage', 'json', json, 'unsupported-type'],
  ])('%s', (_name, contentType, bytes, expected) => {
    let outcome: string;
    try {
      outcome = decodeBody(bytes, contentType).format;
    } catch (error) {
      outcome = isTranslationError(error) ? error.failure : 'other';
    }
    expect(outcome).toBe(expected);
  });
});

describe('decodeBody decodes the charset', () => {
  const declared = (encoding: string): string => `<?xml version="1.0" encoding="${encoding}"?><r><name>Müller</name></r>`;
  const muller = { r: { name: 'Müller' } };
  it.each<[string, string, Uint8Array, unknown]>([
    ['UTF-8 by default', 'application/xml', utf8('<r><name>Müller</name></r>'), muller],
    ['ISO-8859-1 from the declaration', 'application/xml', latin1(declared('ISO-8859-1')), muller],
    ['ISO-8859-1 from the header', 'text/xml; charset=iso-8859-1', latin1('<r><name>Müller</name></r>'), muller],
    ['ISO-8859-1 from both', 'text/xml; charset=ISO-8859-1', latin1(declared('ISO-8859-1')), muller],
    ['latin1 from the header', 'application/json; charset=latin1', latin1('{"name":"Müller"}'), { name: 'Müller' }],
    ['the header over the declaration', 'application/xml; charset=utf-8', utf8(declared('ISO-8859-1')), muller],
    ['single-quoted declaration', 'application/xml', latin1("<?xml version='1.0' encoding='latin1'?><r><name>Müller</name></r>"), muller],
    ['US-ASCII', 'application/json; charset=us-ascii', utf8('{"a":"x"}'), { a: 'x' }],
    ['JSON with a UTF-8 BOM', 'application/json', withBom(utf8('{"name":"Müller"}')), { name: 'Müller' }],
    ['XML with a UTF-8 BOM', 'application/xml', withBom(utf8(declared('UTF-8'))), muller],
    ['a BOM over a latin1 label', 'application/xml; charset=iso-8859-1', withBom(utf8('<r><name>Müller</name></r>')), muller],
    // Like WHATWG, "ISO-8859-1" is decoded as windows-1252: 0x80 is the euro sign, not the C1 control U+0080.
    ['0x80 as windows-1252', 'application/json; charset=iso-8859-1', Uint8Array.from([0x22, 0x80, 0x22]), '€'],
    ['a subarray of a larger buffer', 'application/json; charset=latin1', latin1('xx"Müller"xx').subarray(2, 10), 'Müller'],
  ])('%s', (_name, contentType, bytes, expected) => {
    expect(decodeBody(bytes, contentType).value).toEqual(expected);
  });

  it.each<[string, string, Uint8Array, TranslationFailure]>([
    ['Shift_JIS', 'application/xml; charset=shift_jis', utf8('<r/>'), 'unsupported-charset'],
    ['UTF-16 in the declaration', 'application/xml', utf8('<?xml version="1.0" encoding="UTF-16"?><r/>'), 'unsupported-charset'],
    ['a UTF-16 BOM', 'application/json', Uint8Array.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), 'unsupported-charset'],
    ['an empty charset', 'application/json; charset=', utf8('{}'), 'unsupported-charset'],
    ['invalid UTF-8', 'application/json', Uint8Array.from([0x22, 0xc3, 0x28, 0x22]), 'malformed'],
    ['latin1 bytes sent as UTF-8', 'application/xml', latin1('<r>Müller</r>'), 'malformed'],
  ])('%s → %s', (_name, contentType, bytes, failure) => {
    expect(failureOf(() => decodeBody(bytes, contentType))).toBe(failure);
  });
});

describe('decodeBody limits', () => {
  it.each<[string, string, Uint8Array, { maxBytes?: number; maxDepth?: number }, TranslationFailure | 'none']>([
    ['maxBytes on the raw bytes', 'application/json', utf8(`"${'x'.repeat(98)}"`), { maxBytes: 100 }, 'none'],
    ['one byte over maxBytes', 'application/json', utf8(`"${'x'.repeat(99)}"`), { maxBytes: 100 }, 'too-large'],
    // 100 latin1 bytes become 150 bytes of UTF-8: the limit applies to what was received.
    ['latin1 counted before decoding', 'application/xml; charset=latin1', latin1(`<r>${'ü'.repeat(93)}</r>`), { maxBytes: 100 }, 'none'],
    ['the default 1 MiB', 'application/json', utf8(`"${'x'.repeat(1024 * 1024)}"`), {}, 'too-large'],
    ['maxDepth for JSON', 'application/json', utf8('[[[]]]'), { maxDepth: 2 }, 'too-deep'],
    ['maxDepth for XML', 'application/xml', utf8('<a><b><c/></b></a>'), { maxDepth: 2 }, 'too-deep'],
    ['a DOCTYPE', 'application/xml', utf8('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'), {}, 'doctype'],
  ])('%s → %s', (_name, contentType, bytes, limits, failure) => {
    expect(failureOf(() => decodeBody(bytes, contentType, limits))).toBe(failure);
  });

  it('passes options.arrays to the XML decoder', () => {
    const bytes = utf8('<salaries><salary><base>1</base></salary></salaries>');
    expect(decodeBody(bytes, 'application/xml', { arrays: ['salaries.salary'] })).toEqual({
      format: 'xml',
      value: { salaries: { salary: [{ base: '1' }] } },
    });
  });
});
