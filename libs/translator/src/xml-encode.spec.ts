import { isTranslationError, type TranslationFailure } from './translation.errors';
import { decodeXml } from './xml-decode';
import { defaultItemName, ENCODE_MAX_DEPTH, encodeXml } from './xml-encode';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

function failureOf(run: () => unknown): TranslationFailure | 'none' | 'other' {
  try {
    run();
    return 'none';
  } catch (error) {
    return isTranslationError(error) ? error.failure : 'other';
  }
}

describe('encodeXml writes', () => {
  it.each<[string, unknown, string]>([
    ['an object', { id: 'E-1', name: 'Ada' }, '<r><id>E-1</id><name>Ada</name></r>'],
    ['nested objects', { a: { b: { c: 'x' } } }, '<r><a><b><c>x</c></b></a></r>'],
    ['numbers, booleans, bigints as text', { n: 5234.5, z: 0, t: true, f: false, b: 10n }, '<r><n>5234.5</n><z>0</z><t>true</t><f>false</f><b>10</b></r>'],
    ['a Date as ISO 8601', { at: new Date(Date.UTC(2024, 0, 31, 12)) }, '<r><at>2024-01-31T12:00:00.000Z</at></r>'],
    ['toJSON honoured', { amount: { toJSON: () => '12.50' }, at: new Date(Number.NaN), e: 'x' }, '<r><amount>12.50</amount><e>x</e></r>'],
    ['null, undefined, NaN, Infinity omitted', { a: null, b: undefined, c: Number.NaN, d: Infinity, e: 'x' }, '<r><e>x</e></r>'],
    ['functions and symbols omitted', { f: () => 1, s: Symbol('s'), e: 'x' }, '<r><e>x</e></r>'],
    ['an empty string and object as empty elements', { s: '', o: {} }, '<r><s></s><o></o></r>'],
    ['an array as repeated singular items', { items: [1, 2] }, '<r><items><item>1</item><item>2</item></items></r>'],
    ['salaries → salary', { salaries: [{ base: '1' }] }, '<r><salaries><salary><base>1</base></salary></salaries></r>'],
    ['a non-plural key → item', { data: ['a'] }, '<r><data><item>a</item></data></r>'],
    ['null items skipped', { items: [null, 'a', undefined] }, '<r><items><item>a</item></items></r>'],
    ['an empty array', { items: [] }, '<r><items></items></r>'],
    ['nested arrays', { rows: [[1, 2], [3]] }, '<r><rows><row><item>1</item><item>2</item></row><row><item>3</item></row></rows></r>'],
    ['a root array', [1, 2], '<r><item>1</item><item>2</item></r>'],
    ['a root scalar', 'x', '<r>x</r>'],
    ['a root null', null, '<r></r>'],
    ['markup escaped', { s: '<script>alert(1)</script>' }, '<r><s>&lt;script&gt;alert(1)&lt;/script&gt;</s></r>'],
    ['& and quotes escaped', { s: `Tom & "Jerry" 'n'` }, '<r><s>Tom &amp; &quot;Jerry&quot; &apos;n&apos;</s></r>'],
    ['CDATA and comment delimiters escaped', { s: ']]><!-- -->' }, '<r><s>]]&gt;&lt;!-- --&gt;</s></r>'],
    ['characters XML cannot carry replaced', { s: 'a\u0000b\u0007c\uFFFEd\uD800e' }, '<r><s>a\uFFFDb\uFFFDc\uFFFDd\uFFFDe</s></r>'],
    ['tab, newline and astral characters kept', { s: 'a\tb\nc😀' }, '<r><s>a\tb\nc😀</s></r>'],
    ['Unicode names', { 'Gehalt-Ü': 'x', _a: 'y', 'a.b': 'z', 'e\u0301': 'w' }, '<r><Gehalt-Ü>x</Gehalt-Ü><_a>y</_a><a.b>z</a.b><e\u0301>w</e\u0301></r>'],
  ])('%s', (_name, value, body) => {
    expect(encodeXml(value, 'r')).toBe(DECLARATION + body);
  });

  it.each<[string, string, string]>([
    ['problem+xml', 'urn:ietf:rfc:7807', `${DECLARATION}<problem xmlns="urn:ietf:rfc:7807"><title>x</title></problem>`],
    ['an escaped namespace', 'urn:"x"&<y>', `${DECLARATION}<problem xmlns="urn:&quot;x&quot;&amp;&lt;y>"><title>x</title></problem>`],
  ])('declares a namespace: %s', (_name, namespace, xml) => {
    expect(encodeXml({ title: 'x' }, 'problem', { namespace })).toBe(xml);
    expect(decodeXml(xml)).toEqual({ problem: { title: 'x' } });
  });

  it('declares a namespace on an empty root', () => {
    expect(encodeXml(null, 'problem', { namespace: 'urn:x' })).toBe(`${DECLARATION}<problem xmlns="urn:x"></problem>`);
  });

  it('uses a given itemName', () => {
    expect(encodeXml({ people: ['a'] }, 'r', { itemName: () => 'person' })).toBe(
      `${DECLARATION}<r><people><person>a</person></people></r>`,
    );
  });
});

describe('encodeXml refuses', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  let deep: unknown = 'x';
  for (let i = 0; i < ENCODE_MAX_DEPTH; i++) deep = { a: deep };

  it.each<[string, TranslationFailure, () => unknown]>([
    ['a key with a space', 'unsafe-name', () => encodeXml({ 'a b': 1 }, 'r')],
    ['a key with markup', 'unsafe-name', () => encodeXml({ '<x>': 1 }, 'r')],
    ['a key starting with a digit', 'unsafe-name', () => encodeXml({ '1abc': 1 }, 'r')],
    ['a key starting with xml', 'unsafe-name', () => encodeXml({ xmlfoo: 1 }, 'r')],
    ['a key starting with XML', 'unsafe-name', () => encodeXml({ XMLns: 1 }, 'r')],
    ['a __proto__ key', 'unsafe-name', () => encodeXml(JSON.parse('{"__proto__": {"a": 1}}'), 'r')],
    ['a constructor key', 'unsafe-name', () => encodeXml({ constructor: 1 }, 'r')],
    ['a builder convention key (#text)', 'unsafe-name', () => encodeXml({ '#text': 'x' }, 'r')],
    ['an attribute-looking key', 'unsafe-name', () => encodeXml({ '@_id': 'x' }, 'r')],
    ['a processing-instruction key', 'unsafe-name', () => encodeXml({ '?xml-stylesheet': 'x' }, 'r')],
    ['a prefixed key', 'unsafe-name', () => encodeXml({ 'a:b': 1 }, 'r')],
    ['an empty key', 'unsafe-name', () => encodeXml({ '': 1 }, 'r')],
    ['an unsafe key deep inside an array', 'unsafe-name', () => encodeXml({ items: [{ ok: 1 }, { 'a b': 1 }] }, 'r')],
    ['an unsafe root name', 'unsafe-name', () => encodeXml({}, 'a b')],
    ['an unsafe itemName result', 'unsafe-name', () => encodeXml({ items: [1] }, 'r', { itemName: () => '<x>' })],
    ['a cycle', 'too-deep', () => encodeXml(cyclic, 'r')],
    ['more than ENCODE_MAX_DEPTH levels', 'too-deep', () => encodeXml(deep, 'r')],
  ])('%s → %s', (_name, failure, run) => {
    expect(failureOf(run)).toBe(failure);
  });

  it('writes exactly ENCODE_MAX_DEPTH levels', () => {
    let value: unknown = 'x';
    for (let i = 0; i < ENCODE_MAX_DEPTH - 1; i++) value = { a: value };
    expect(failureOf(() => encodeXml(value, 'r'))).toBe('none');
  });
});

describe('encodeXml round-trips through decodeXml', () => {
  it.each<[string, unknown, readonly string[] | undefined, unknown]>([
    ['strings', { id: '0012345678', name: 'Müller & Söhne <GmbH>' }, undefined, { id: '0012345678', name: 'Müller & Söhne <GmbH>' }],
    ['scalars become strings', { n: 5234.5, ok: true }, undefined, { n: '5234.5', ok: 'true' }],
    ['arrays of several', { items: ['a', 'b'] }, undefined, { items: { item: ['a', 'b'] } }],
    ['arrays of one, listed', { salaries: [{ base: '1' }] }, ['r.salaries.salary'], { salaries: { salary: [{ base: '1' }] } }],
    ['quotes and apostrophes', { q: `"'` }, undefined, { q: `"'` }],
  ])('%s', (_name, value, arrays, expected) => {
    expect(decodeXml(encodeXml(value, 'r'), { arrays })).toEqual({ r: expected });
  });
});

describe('defaultItemName', () => {
  it.each<[string, string]>([
    ['items', 'item'],
    ['salaries', 'salary'],
    ['employees', 'employee'],
    ['addresses', 'address'],
    ['boxes', 'box'],
    ['days', 'day'],
    ['status', 'item'],
    ['class', 'item'],
    ['data', 'item'],
    ['s', 'item'],
  ])('%s → %s', (key, item) => {
    expect(defaultItemName(key)).toBe(item);
  });
});
