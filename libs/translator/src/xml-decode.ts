import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';
import { exceedsBytes, resolveLimits, type DecodeLimits } from './limits';
import { isUnsafeKey } from './names';
import { isTranslationError, TranslationError } from './translation.errors';
import { XML_ENTITY_DECODER } from './xml-entities';

/** Options of {@link decodeXml}. */
export interface XmlDecodeOptions extends DecodeLimits {
  /**
   * Elements always decoded as arrays, even when they occur once: a dotted path from the root element
   * (`'salaries.salary'`) or a bare element name matching at any depth (`'salary'`).
   */
  arrays?: readonly string[];
}

/** The deepest nesting accepted, whatever `maxDepth` says: fast-xml-parser builds its result recursively. */
export const XML_DEPTH_CEILING = 1000;

interface ArrayRule {
  readonly names: ReadonlySet<string>;
  readonly paths: ReadonlySet<string>;
}

interface CallContext {
  readonly maxDepth: number;
  readonly arrays: ArrayRule | undefined;
}

const IDLE: CallContext = { maxDepth: XML_DEPTH_CEILING, arrays: undefined };

// The parser is built once (hot path), so its hooks cannot take per-call arguments; they read this slot instead.
// XMLParser.parse is synchronous, so the call in flight is its only reader.
let call: CallContext = IDLE;

const arrayRules = new WeakMap<readonly string[], ArrayRule>();

function arrayRuleOf(arrays: readonly string[] | undefined): ArrayRule | undefined {
  if (arrays === undefined || arrays.length === 0) return undefined;
  let rule = arrayRules.get(arrays);
  if (rule === undefined) {
    rule = {
      names: new Set(arrays.filter((a) => !a.includes('.'))),
      paths: new Set(arrays.filter((a) => a.includes('.'))),
    };
    arrayRules.set(arrays, rule);
  }
  return rule;
}

type Matcher = Parameters<NonNullable<X2jOptions['isArray']>>[1];

function pathOf(matcher: Matcher): string {
  return typeof matcher === 'string' ? matcher : matcher.toString();
}

function depthOf(matcher: Matcher): number {
  return typeof matcher === 'string' ? matcher.split('.').length : matcher.getDepth();
}

const PARSER_OPTIONS: X2jOptions = {
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
  entityDecoder: XML_ENTITY_DECODER,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  jPath: false,
  maxNestedTags: XML_DEPTH_CEILING,
  // Runs before the library's own check, so a reserved name is reported as 'unsafe-name' rather than a parse error.
  // Self-closing tags arrive here once with their trailing '/'.
  transformTagName: (name) => {
    if (isUnsafeKey(name.endsWith('/') ? name.slice(0, -1) : name)) throw new TranslationError('unsafe-name');
    return name;
  },
  // The library would rename `toString` & co. to `__toString`; JSON.parse keeps them, and so do we.
  onDangerousProperty: (name) => name,
  updateTag: (name, matcher) => {
    if (depthOf(matcher) > call.maxDepth) {
      throw new TranslationError('too-deep', { detail: `more than ${call.maxDepth} levels` });
    }
    return name;
  },
  isArray: (name, matcher) => {
    const rule = call.arrays;
    return rule !== undefined && (rule.names.has(name) || (rule.paths.size > 0 && rule.paths.has(pathOf(matcher))));
  },
};

const PARSER = new XMLParser(PARSER_OPTIONS);

/**
 * Refuses every markup declaration (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, conditional sections) outside comments
 * and CDATA, so no entity can be defined, expanded or fetched. Comments and CDATA are skipped the way the parser
 * skips them, so `<![CDATA[<!DOCTYPE html>]]>` stays text.
 */
function refuseMarkupDeclarations(text: string): void {
  for (let at = text.indexOf('<!'); at !== -1; at = text.indexOf('<!', at)) {
    let end: number;
    if (text.startsWith('<!--', at)) end = text.indexOf('-->', at + 4);
    else if (text.startsWith('<![CDATA[', at)) end = text.indexOf(']]>', at + 9);
    else throw new TranslationError('doctype');
    if (end === -1) return; // unterminated: the validator reports it
    at = end + 3;
  }
}

/** Decodes XML text already known to fit the byte limit (used by `decodeBody` after decoding the bytes). */
export function decodeXmlText(text: string, maxDepth: number, arrays?: readonly string[]): Record<string, unknown> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  refuseMarkupDeclarations(body);
  // The parser is lenient (`<r><a>x</r>` parses, garbage gives {}); the validator is not.
  const verdict = XMLValidator.validate(body);
  if (verdict !== true) {
    throw new TranslationError('malformed', { detail: `line ${verdict.err.line}, column ${verdict.err.col}` });
  }
  call = { maxDepth: Math.min(maxDepth, XML_DEPTH_CEILING), arrays: arrayRuleOf(arrays) };
  try {
    return PARSER.parse(body) as Record<string, unknown>;
  } catch (error) {
    if (isTranslationError(error)) throw error;
    throw new TranslationError('malformed');
  } finally {
    call = IDLE;
  }
}

/**
 * Decodes an XML document into plain objects: `<salary><base>5234.50</base></salary>` → `{ salary: { base: '5234.50' } }`.
 *
 * - The root element is the single top-level key. Attributes, comments and processing instructions are dropped.
 * - Every value stays a string, trimmed (`'0012345678'`, `'1e5'`, `'0x1F'` are kept as written); type them with
 *   `asDecimal`/`asInteger`. An empty element is `''`. Text mixed with child elements lands on `'#text'`.
 * - A repeated element becomes an array, a single one an object or string, unless listed in `options.arrays`.
 * - `&lt; &gt; &amp; &quot; &apos;` and numeric character references (`&#252;`) are decoded; CDATA is kept verbatim.
 * - Limits: `maxBytes` counts UTF-8 bytes (default 1 MiB); `maxDepth` counts element levels, the root being 1
 *   (default 64, never more than {@link XML_DEPTH_CEILING}).
 *
 * @throws TranslationError `'too-large'`; `'doctype'` for any DOCTYPE or other markup declaration (no entity is ever
 *   defined, expanded or fetched); `'malformed'` for XML that is not well-formed, an undeclared entity or a reference
 *   to a character XML forbids; `'too-deep'`; `'unsafe-name'` for an element named `__proto__`, `constructor` or
 *   `prototype`.
 */
export function decodeXml(text: string, options?: XmlDecodeOptions): Record<string, unknown> {
  const { maxBytes, maxDepth } = resolveLimits(options);
  if (exceedsBytes(text, maxBytes)) throw new TranslationError('too-large', { detail: `more than ${maxBytes} bytes` });
  return decodeXmlText(text, maxDepth, options?.arrays);
}
