// Built on saxes (a strict SAX parser that checks well-formedness as it goes, used by jsdom) with the small object
// builder below, instead of fast-xml-parser: its XMLParser is lenient (`<r><a>x</r>` parses, garbage gives {}), so
// every document went through XMLValidator first, i.e. was parsed twice. decodeXmlText on the 1.3 KB payroll salary
// document (tools/bench salaryXml), medians on the dev machine: fast-xml-parser 5.12.1 ~86 µs per call (XMLValidator
// alone ~16.5 µs), saxes 6.0.0 ~14 µs (of which saxes itself ~9 µs).
import { SaxesParser, type SaxesStartTagPlain } from 'saxes';
import { exceedsBytes, resolveLimits, type DecodeLimits } from './limits';
import { isUnsafeKey } from './names';
import { isTranslationError, TranslationError } from './translation.errors';

/** Options of {@link decodeXml}. */
export interface XmlDecodeOptions extends DecodeLimits {
  /**
   * Elements always decoded as arrays, even when they occur once: a dotted path from the root element
   * (`'salaries.salary'`) or a bare element name matching at any depth (`'salary'`). By path, an empty parent
   * (`<salaries/>`, or only whitespace inside) becomes an object holding each array listed under it as `[]`
   * (`{ salaries: { salary: [] } }`) instead of `''`. A bare name does not say which parent holds it, so it
   * does not do that.
   */
  arrays?: readonly string[];
}

/**
 * The deepest nesting accepted, whatever `maxDepth` says. The decoder itself does not recurse, but whatever walks
 * the result (encoders, `JSON.stringify`, typed-field readers) may.
 */
export const XML_DEPTH_CEILING = 1000;

/** One step of the `arrays` paths: `'a.b'` and `'a.c'` share the step `a`. */
interface PathStep {
  listed: boolean;
  readonly next: Map<string, PathStep>;
  /** The listed steps under this one: what an empty element here holds, each as `[]`. Undefined when none. */
  lists: readonly string[] | undefined;
}

interface ArrayRule {
  readonly names: ReadonlySet<string>;
  /** Steps from the document (above the root element); undefined when no entry is a path. */
  readonly paths: PathStep | undefined;
}

const arrayRules = new WeakMap<readonly string[], ArrayRule>();

function newStep(): PathStep {
  return { listed: false, next: new Map(), lists: undefined };
}

function arrayRuleOf(arrays: readonly string[] | undefined): ArrayRule | undefined {
  if (arrays === undefined || arrays.length === 0) return undefined;
  let rule = arrayRules.get(arrays);
  if (rule === undefined) {
    const names = new Set<string>();
    let paths: PathStep | undefined;
    for (const entry of arrays) {
      if (!entry.includes('.')) {
        names.add(entry);
        continue;
      }
      let step = (paths ??= newStep());
      let parent = step;
      let last = '';
      for (const name of entry.split('.')) {
        let next = step.next.get(name);
        if (next === undefined) step.next.set(name, (next = newStep()));
        parent = step;
        last = name;
        step = next;
      }
      // An unsafe name is refused when met, so it needs no empty list (nor could `value[name] = []` set it).
      if (!step.listed && !isUnsafeKey(last)) parent.lists = [...(parent.lists ?? []), last];
      step.listed = true;
    }
    rule = { names, paths };
    arrayRules.set(arrays, rule);
  }
  return rule;
}

/** An open element. Frames are pooled by depth (index 0 is the document, 1 the root) and reused across calls. */
interface Frame {
  name: string;
  /** Where this element is in the `arrays` paths, if anywhere. */
  step: PathStep | undefined;
  /** Child elements, created with the first one. */
  children: Record<string, unknown> | undefined;
  /** Text so far: each run of character data trimmed, CDATA sections verbatim. */
  text: string;
}

const TEXT_KEY = '#text';

// Per-call state, read by the parser's handlers (module functions, so nothing is allocated per call).
// The call is synchronous, so the call in flight is their only reader.
const frames: Frame[] = [{ name: '', step: undefined, children: undefined, text: '' }];
let depth = 0;
let depthLimit = 0;
let rule: ArrayRule | undefined;
/** Character data since the last element boundary or CDATA section, not trimmed yet. */
let run = '';

function onOpenTagStart(tag: SaxesStartTagPlain): void {
  const name = tag.name;
  if (isUnsafeKey(name)) throw new TranslationError('unsafe-name');
  if (depth >= depthLimit) throw new TranslationError('too-deep', { detail: `more than ${depthLimit} levels` });
  const parent = frames[depth];
  if (run !== '') flushRun(parent);
  depth += 1;
  const step = parent.step?.next.get(name);
  const frame = frames[depth];
  if (frame === undefined) {
    frames.push({ name, step, children: undefined, text: '' });
  } else {
    frame.name = name;
    frame.step = step;
  }
}

function onCloseTag(): void {
  const frame = frames[depth];
  if (run !== '') flushRun(frame);
  const { name, children, text, step } = frame;
  let value: unknown = text;
  if (children !== undefined) {
    if (text !== '') children[TEXT_KEY] = text;
    value = children;
  } else if (text === '' && step?.lists !== undefined) {
    value = emptyLists(step.lists);
  }
  frame.children = undefined;
  frame.text = '';
  depth -= 1;
  addChild(frames[depth], name, value, step);
}

/** An empty parent of listed arrays: `{ salary: [] }`, new each time (callers may change what they get). */
function emptyLists(names: readonly string[]): Record<string, unknown[]> {
  const value: Record<string, unknown[]> = {};
  for (const name of names) value[name] = [];
  return value;
}

function addChild(parent: Frame, name: string, value: unknown, step: PathStep | undefined): void {
  const children = (parent.children ??= {});
  // Object.hasOwn, not `children[name] !== undefined`: `toString` & co. are ordinary names.
  if (Object.hasOwn(children, name)) {
    const existing = children[name];
    if (Array.isArray(existing)) existing.push(value);
    else children[name] = [existing, value];
  } else {
    const listed = rule !== undefined && (rule.names.has(name) || step?.listed === true);
    children[name] = listed ? [value] : value;
  }
}

function onText(text: string): void {
  // Text around the root arrives too: whitespace to ignore, anything else an error saxes reports itself.
  if (depth !== 0) run += text;
}

function onCData(cdata: string): void {
  const frame = frames[depth];
  if (run !== '') flushRun(frame);
  frame.text += cdata;
}

// As fast-xml-parser did: a processing instruction ends a run (`a <?pi?> b` is `'ab'`), a comment does not
// (`a <!-- c --> b` is `'a  b'`).
function onProcessingInstruction(): void {
  if (run !== '') flushRun(frames[depth]);
}

function flushRun(frame: Frame): void {
  frame.text += run.trim();
  run = '';
}

function onError(): never {
  throw new TranslationError('malformed', { detail: `line ${parser.line}, column ${parser.column}` });
}

function onDoctype(): never {
  throw new TranslationError('doctype'); // refused before parsing already; kept in case a DOCTYPE slips through
}

// XML 1.0 rules whatever the declaration says (1.1 would allow references to control characters); names are kept as
// written (`p:v`), namespaces are not resolved.
const PARSER_OPTIONS = { xmlns: false, position: true, defaultXMLVersion: '1.0', forceXMLVersion: true } as const;

function createParser(): SaxesParser<typeof PARSER_OPTIONS> {
  const created = new SaxesParser(PARSER_OPTIONS);
  created.on('opentagstart', onOpenTagStart);
  created.on('closetag', onCloseTag);
  created.on('text', onText);
  created.on('cdata', onCData);
  created.on('processinginstruction', onProcessingInstruction);
  created.on('doctype', onDoctype);
  created.on('error', onError);
  return created;
}

// Reused: closing the document resets it. A throw leaves it mid-document, so it is replaced then.
let parser = createParser();

/** Drops the call's values, so that the pooled frames do not keep the last document alive. */
function reset(): void {
  for (let at = 0; at <= depth; at++) {
    frames[at].children = undefined;
    frames[at].text = '';
  }
  frames[0].step = undefined;
  depth = 0;
  rule = undefined;
  run = '';
}

/** `String.prototype.isWellFormed` (ES2024, Node 20): the repo's TypeScript lib stops at ES2023. */
type Es2024String = string & { isWellFormed(): boolean };

const LONE_SURROGATE = /\p{Cs}/u;
const NEWLINE = /\r\n?|\n/;

/** `line L, column C` of `text[index]`, counted as saxes counts them (1-based, columns in code points). */
function positionOf(text: string, index: number): string {
  const lines = text.slice(0, index + 1).split(NEWLINE);
  return `line ${lines.length}, column ${[...lines[lines.length - 1]].length}`;
}

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
    if (end === -1) return; // unterminated: the parser reports it
    at = end + 3;
  }
}

/** Decodes XML text already known to fit the byte limit (used by `decodeBody` after decoding the bytes). */
export function decodeXmlText(text: string, maxDepth: number, arrays?: readonly string[]): Record<string, unknown> {
  refuseMarkupDeclarations(text);
  // saxes reads a lone high surrogate and the next code unit as one character: `\uD800<` would hide a '<'.
  if (!(text as Es2024String).isWellFormed()) {
    throw new TranslationError('malformed', { detail: positionOf(text, LONE_SURROGATE.exec(text)?.index ?? 0) });
  }
  depthLimit = Math.min(maxDepth, XML_DEPTH_CEILING);
  rule = arrayRuleOf(arrays);
  frames[0].step = rule?.paths;
  try {
    parser.write(text).close(); // strips a leading BOM itself
    return frames[0].children as Record<string, unknown>; // the parser refuses a document without a root
  } catch (error) {
    parser = createParser();
    if (isTranslationError(error)) throw error;
    throw new TranslationError('malformed'); // saxes' own messages quote the input
  } finally {
    reset();
  }
}

/**
 * Decodes an XML document into plain objects: `<salary><base>5234.50</base></salary>` → `{ salary: { base: '5234.50' } }`.
 *
 * - The root element is the single top-level key. Attributes, comments and processing instructions are dropped.
 * - Every value stays a string, trimmed once references are decoded (`&#32;x` is `'x'`; `'0012345678'`, `'1e5'`,
 *   `'0x1F'` are kept as written); type them with `asDecimal`/`asInteger`. An empty element is `''` (but see
 *   `arrays` below). Text mixed with child elements lands on `'#text'`.
 * - A repeated element becomes an array, a single one an object or string, unless listed in `options.arrays`.
 *   An empty element that is the parent step of an `arrays` path holds each array listed under it as `[]`
 *   (`<salaries/>` with `['salaries.salary']` → `{ salaries: { salary: [] } }`); other empty ones are `''`.
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
