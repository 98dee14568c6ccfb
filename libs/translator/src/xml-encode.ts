import { XMLBuilder, type XmlBuilderOptions } from 'fast-xml-parser';
import { assertSafeElementName } from './names';
import { TranslationError } from './translation.errors';

/** Options of {@link encodeXml}. */
export interface XmlEncodeOptions {
  /** Names the elements of an array held by `parentKey`; default {@link defaultItemName}. The result is validated. */
  itemName?: (parentKey: string) => string;
  /** Default namespace declared on the root, e.g. `urn:ietf:rfc:7807` for problem+xml (RFC 9457 appendix B). */
  namespace?: string;
}

/** Element levels written at most (the root is 1); also what stops a cyclic value. */
export const ENCODE_MAX_DEPTH = 64;

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

// Every name is checked by assertSafeElementName before it reaches the builder, and every leaf is already a string:
// the builder only lays out elements and escapes text (& < > " '). Its own `sanitizeName` (a fast-xml-builder 1.3
// option missing from fast-xml-parser's typings) is consulted only for names that are not QNames, so it would let
// 'xmlfoo', '__proto__' or '#text' (a builder convention) through; here it is only a second line of defence.
const BUILDER_OPTIONS: XmlBuilderOptions & { sanitizeName: (name: string) => string } = {
  ignoreAttributes: true,
  processEntities: true,
  suppressEmptyNode: false,
  format: false,
  maxNestedTags: ENCODE_MAX_DEPTH + 1,
  sanitizeName: () => {
    throw new TranslationError('unsafe-name');
  },
};
const BUILDER = new XMLBuilder(BUILDER_OPTIONS);

/**
 * A heuristic English singular: `salaries` → `salary`, `addresses` → `address`, `boxes` → `box`, `items` → `item`;
 * a key that does not look plural (`data`, `status`, `class`) → `item`. Pass `itemName` where it guesses wrong.
 */
export function defaultItemName(parentKey: string): string {
  if (/[^aeiou]ies$/i.test(parentKey)) return `${parentKey.slice(0, -3)}y`;
  if (/(?:ss|sh|ch|x)es$/i.test(parentKey)) return parentKey.slice(0, -2);
  if (/[^su]s$/i.test(parentKey)) return parentKey.slice(0, -1);
  return 'item';
}

// Characters XML 1.0 cannot carry at all, not even as references: C0 controls but tab/LF/CR, lone surrogates,
// U+FFFE/U+FFFF. Replaced rather than refused so one stray byte in an upstream field does not fail the whole answer.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(value: string): string {
  return value.replace(NOT_XML_CHAR, '\uFFFD');
}

function attribute(value: string): string {
  return text(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

type Content = string | { [name: string]: Content | Content[] };

function scalar(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return text(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined; // like JSON: NaN and Infinity become null
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return undefined; // functions and symbols, like JSON.stringify
  }
}

function hasToJSON(value: unknown): value is { toJSON: (key: string) => unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

type ItemName = (key: string) => string;

// Like JSON.stringify, a value's toJSON is honoured once (Date → ISO string, decimal and money types → their text),
// so a view reads the same in both formats.
function contentOf(value: unknown, name: string, depth: number, itemName: ItemName): Content | undefined {
  const plain = hasToJSON(value) ? value.toJSON(name) : value;
  if (plain === null || plain === undefined) return undefined;
  if (typeof plain !== 'object') return scalar(plain);
  if (depth >= ENCODE_MAX_DEPTH) throw new TranslationError('too-deep', { detail: `more than ${ENCODE_MAX_DEPTH} levels` });
  return Array.isArray(plain) ? itemsOf(plain, name, depth, itemName) : elementsOf(plain, depth, itemName);
}

function itemsOf(values: readonly unknown[], name: string, depth: number, itemName: ItemName): Content {
  const item = itemName(name);
  assertSafeElementName(item);
  const items: Content[] = [];
  for (const value of values) {
    const content = contentOf(value, item, depth + 1, itemName);
    if (content !== undefined) items.push(content);
  }
  return { [item]: items };
}

function elementsOf(value: object, depth: number, itemName: ItemName): Content {
  const node: Record<string, Content> = {};
  for (const key of Object.keys(value)) {
    assertSafeElementName(key);
    const content = contentOf((value as Record<string, unknown>)[key], key, depth + 1, itemName);
    if (content !== undefined) node[key] = content;
  }
  return node;
}

/**
 * Encodes a plain value as an XML document: `<?xml version="1.0" encoding="UTF-8"?>` and one `rootName` element.
 * Object keys become elements; an array becomes repeated elements named `itemName(key)` inside the key's element
 * (`{ items: [1, 2] }` → `<items><item>1</item><item>2</item></items>`); null, undefined, NaN and ±Infinity are
 * omitted; numbers, booleans and bigints are written as text; `toJSON()` is honoured as JSON.stringify does (a Date
 * becomes ISO 8601 UTC, an invalid Date is omitted). Text is escaped
 * (`& < > " '`); characters XML cannot represent become U+FFFD. Decoding the result with `decodeXml` gives back the
 * value with strings for scalars and single-element arrays as single values (unless listed in `arrays`).
 *
 * @throws TranslationError `'unsafe-name'` for a root, key or item name that is not an XML NCName, starts with
 *   `xml` (any case) or is `__proto__`/`constructor`/`prototype` — names are never written verbatim or repaired;
 *   `'too-deep'` beyond {@link ENCODE_MAX_DEPTH} levels (or a cycle).
 */
export function encodeXml(value: unknown, rootName: string, options?: XmlEncodeOptions): string {
  assertSafeElementName(rootName);
  const content = contentOf(value, rootName, 1, options?.itemName ?? defaultItemName) ?? '';
  const xml = BUILDER.build({ [rootName]: content }) as string;
  if (options?.namespace === undefined) return DECLARATION + xml;
  // The builder writes no attributes (ignoreAttributes), so the root start tag is exactly `<rootName>`.
  const start = rootName.length + 1;
  return `${DECLARATION}${xml.slice(0, start)} xmlns="${attribute(options.namespace)}"${xml.slice(start)}`;
}
