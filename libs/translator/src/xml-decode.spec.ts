import { decodeXml, XML_DEPTH_CEILING } from './xml-decode';
import { isTranslationError, type TranslationFailure } from './translation.errors';

function failureOf(run: () => unknown): TranslationFailure | 'none' | 'other' {
  try {
    run();
    return 'none';
  } catch (error) {
    return isTranslationError(error) ? error.failure : 'other';
  }
}

function nested(depth: number, leaf = 'x'): string {
  return '<a>'.repeat(depth) + leaf + '</a>'.repeat(depth);
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol9;</lolz>`;
// CVE-2026-26278: one plain entity referenced many times, 1.3 KB of XML.
const FLAT_EXPANSION = `<!DOCTYPE r [<!ENTITY a "${'A'.repeat(1000)}">]><r>${'&a;'.repeat(100)}</r>`;

describe('decodeXml refuses', () => {
  it.each<[string, TranslationFailure, string, { maxDepth?: number; maxBytes?: number }?]>([
    ['billion laughs (nested entities)', 'doctype', BILLION_LAUGHS],
    ['flat entity expansion', 'doctype', FLAT_EXPANSION],
    ['an external entity', 'doctype', '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'],
    ['a parameter entity', 'doctype', '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://evil.test/x.dtd"> %p;]><r/>'],
    ['a DOCTYPE without entities', 'doctype', '<!DOCTYPE r><r>x</r>'],
    ['a DOCTYPE with an external subset', 'doctype', '<!DOCTYPE r SYSTEM "http://evil.test/r.dtd"><r/>'],
    ['a lower-case doctype', 'doctype', '<!doctype r><r/>'],
    ['a DOCTYPE inside the root', 'doctype', '<r><!DOCTYPE x [<!ENTITY e "e">]><a>&e;</a></r>'],
    ['a DOCTYPE after a comment', 'doctype', '<!-- hi --><!DOCTYPE r><r/>'],
    ['a bare ENTITY declaration', 'doctype', '<r><!ENTITY e "e"></r>'],
    ['a conditional section', 'doctype', '<r><![INCLUDE[<a/>]]></r>'],
    ['a closing tag that does not match', 'malformed', '<r><a>x</r>'],
    ['garbage text', 'malformed', 'this is not xml'],
    ['two roots', 'malformed', '<a>1</a><b>2</b>'],
    ['the empty string', 'malformed', ''],
    ['whitespace only', 'malformed', '  \n '],
    ['a declaration without a root', 'malformed', '<?xml version="1.0"?>'],
    ['an unclosed root', 'malformed', '<r><a>x</a>'],
    ['text after the root', 'malformed', '<r>x</r>trailing'],
    ['an unterminated comment', 'malformed', '<r><!-- x</r>'],
    ['a bare ampersand', 'malformed', '<r>a & b</r>'],
    ['an HTML entity (no DTD declares it)', 'malformed', '<r>&nbsp;</r>'],
    ['a reference to NUL', 'malformed', '<r>&#0;</r>'],
    ['a reference to a surrogate', 'malformed', '<r>&#xD800;</r>'],
    ['a reference beyond Unicode', 'malformed', '<r>&#x110000;</r>'],
    ['an invalid element name', 'malformed', '<1r>x</1r>'],
    ['200 levels with maxDepth 64', 'too-deep', nested(200), { maxDepth: 64 }],
    ['65 levels by default', 'too-deep', nested(65)],
    ['5000 levels with a maxDepth above the ceiling', 'too-deep', nested(5000), { maxDepth: 1_000_000 }],
    ['a __proto__ element', 'unsafe-name', '<r><__proto__><polluted>1</polluted></__proto__></r>'],
    ['a __proto__ root', 'unsafe-name', '<__proto__><polluted>1</polluted></__proto__>'],
    ['a self-closing __proto__', 'unsafe-name', '<r><__proto__/></r>'],
    ['a constructor element', 'unsafe-name', '<r><constructor><prototype><polluted>1</polluted></prototype></constructor></r>'],
    ['a prototype element', 'unsafe-name', '<r><prototype>x</prototype></r>'],
    ['a body over maxBytes', 'too-large', `<r>${'x'.repeat(100)}</r>`, { maxBytes: 100 }],
    ['multi-byte text over maxBytes in UTF-8', 'too-large', `<r>${'ü'.repeat(50)}</r>`, { maxBytes: 100 }],
  ])('%s → %s', (_name, failure, xml, limits = {}) => {
    expect(failureOf(() => decodeXml(xml, limits))).toBe(failure);
  });

  it('refuses entity bombs without expanding them', () => {
    const started = performance.now();
    for (let i = 0; i < 100; i++) {
      expect(failureOf(() => decodeXml(BILLION_LAUGHS))).toBe('doctype');
      expect(failureOf(() => decodeXml(FLAT_EXPANSION))).toBe('doctype');
    }
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('never pollutes Object.prototype', () => {
    for (const xml of ['<__proto__><polluted>1</polluted></__proto__>', '<r><__proto__><polluted>1</polluted></__proto__></r>',
      '<r><constructor><prototype><polluted>1</polluted></prototype></constructor></r>']) {
      failureOf(() => decodeXml(xml));
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('never echoes the input in its message', () => {
    for (const xml of ['<r><a>SECRET-9876</r>', 'SECRET-9876', '<r>&SECRET9876;</r>', '<!DOCTYPE SECRET9876><r/>']) {
      try {
        decodeXml(xml);
        throw new Error('expected a TranslationError');
      } catch (error) {
        expect(isTranslationError(error)).toBe(true);
        expect((error as Error).message).not.toMatch(/SECRET/);
      }
    }
  });

  it('treats NaN and negative limits as a programming error', () => {
    expect(() => decodeXml('<r/>', { maxBytes: Number.NaN })).toThrow(RangeError);
    expect(() => decodeXml('<r/>', { maxDepth: -1 })).toThrow(RangeError);
  });
});

describe('decodeXml decodes', () => {
  it.each<[string, string, Record<string, unknown>]>([
    ['leading zeros (a bank account)', '<r><account>0012345678</account></r>', { r: { account: '0012345678' } }],
    ['a long digit string', '<r><id>12345678901234567890123</id></r>', { r: { id: '12345678901234567890123' } }],
    ['a hex-looking value', '<r><code>0x1F</code></r>', { r: { code: '0x1F' } }],
    ['e-notation', '<r><v>1e5</v></r>', { r: { v: '1e5' } }],
    ['a decimal', '<r><v>5234.50</v></r>', { r: { v: '5234.50' } }],
    ['booleans', '<r><v>true</v></r>', { r: { v: 'true' } }],
    ['surrounding whitespace (trimmed)', '<r><v>  12 </v></r>', { r: { v: '12' } }],
    ['predefined entities', '<r><v>&lt;b&gt; &amp; &quot;q&quot; &apos;s&apos;</v></r>', { r: { v: '<b> & "q" \'s\'' } }],
    ['no double decoding', '<r><v>&amp;lt;</v></r>', { r: { v: '&lt;' } }],
    ['decimal character references', '<r><v>M&#252;ller</v></r>', { r: { v: 'Müller' } }],
    ['hex character references', '<r><v>&#x41;&#x1F600;</v></r>', { r: { v: 'A😀' } }],
    ['CDATA kept verbatim', '<r><v><![CDATA[ <b>&amp; ]]></v></r>', { r: { v: ' <b>&amp; ' } }],
    ['a DOCTYPE inside CDATA as text', '<r><v><![CDATA[<!DOCTYPE html>]]></v></r>', { r: { v: '<!DOCTYPE html>' } }],
    ['a DOCTYPE inside a comment ignored', '<r><!-- <!DOCTYPE x> --><v>1</v></r>', { r: { v: '1' } }],
    ['an empty element', '<r><v></v><w/><x>  </x></r>', { r: { v: '', w: '', x: '' } }],
    ['an empty root', '<r/>', { r: '' }],
    ['repeated elements as an array', '<r><v>1</v><v>2</v></r>', { r: { v: ['1', '2'] } }],
    ['a single element as a value', '<r><v><a>1</a></v></r>', { r: { v: { a: '1' } } }],
    ['attributes dropped', '<r id="7"><v unit="EUR">1</v></r>', { r: { v: '1' } }],
    ['the declaration, PIs and comments dropped', '<?xml version="1.0"?><?pi x?><!-- c --><r><v>1</v></r>', { r: { v: '1' } }],
    ['mixed content on #text', '<r>a<b>1</b>c</r>', { r: { b: '1', '#text': 'ac' } }],
    ['namespace prefixes kept', '<p:r xmlns:p="urn:x"><p:v>1</p:v></p:r>', { 'p:r': { 'p:v': '1' } }],
    ['Object method names kept as data', '<r><toString>x</toString><valueOf>y</valueOf></r>', { r: { toString: 'x', valueOf: 'y' } }],
    ['a leading BOM', '\uFEFF<r>1</r>', { r: '1' }],
    ['64 levels by default', nested(64), expectNested(64)],
  ])('%s', (_name, xml, expected) => {
    expect(decodeXml(xml)).toEqual(expected);
  });

  it('decodes exactly maxBytes of UTF-8', () => {
    const xml = `<r>${'ü'.repeat(10)}</r>`; // 7 + 20 bytes
    expect(decodeXml(xml, { maxBytes: 27 })).toEqual({ r: 'ü'.repeat(10) });
    expect(failureOf(() => decodeXml(xml, { maxBytes: 26 }))).toBe('too-large');
  });

  it('accepts up to the depth ceiling when asked', () => {
    expect(failureOf(() => decodeXml(nested(XML_DEPTH_CEILING), { maxDepth: XML_DEPTH_CEILING }))).toBe('none');
  });

  it('returns plain objects', () => {
    const value = decodeXml('<r><v>1</v></r>');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(value['r'])).toBe(Object.prototype);
  });
});

function expectNested(depth: number): Record<string, unknown> {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value as Record<string, unknown>;
}

describe('decodeXml options.arrays', () => {
  const one = '<salaries><salary><base>1</base></salary></salaries>';
  const two = '<salaries><salary><base>1</base></salary><salary><base>2</base></salary></salaries>';
  it.each<[string, string, readonly string[] | undefined, Record<string, unknown>]>([
    ['a single element without the option', one, undefined, { salaries: { salary: { base: '1' } } }],
    ['a single element listed by path', one, ['salaries.salary'], { salaries: { salary: [{ base: '1' }] } }],
    ['a single element listed by name', one, ['salary'], { salaries: { salary: [{ base: '1' }] } }],
    ['a leaf listed by name', one, ['base'], { salaries: { salary: { base: ['1'] } } }],
    ['repeated elements, listed or not', two, ['salaries.salary'], { salaries: { salary: [{ base: '1' }, { base: '2' }] } }],
    ['a path that does not match', one, ['other.salary'], { salaries: { salary: { base: '1' } } }],
    ['an empty list', one, [], { salaries: { salary: { base: '1' } } }],
    ['an absent listed element (use asArray)', '<salaries/>', ['salaries.salary'], { salaries: '' }],
  ])('%s', (_name, xml, arrays, expected) => {
    expect(decodeXml(xml, { arrays })).toEqual(expected);
  });

  it('does not leak one call’s arrays into the next', () => {
    decodeXml(one, { arrays: ['salary'] });
    expect(decodeXml(one)).toEqual({ salaries: { salary: { base: '1' } } });
  });
});
