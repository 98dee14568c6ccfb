import { exceedsBytes, resolveLimits, type DecodeLimits } from './limits';
import { isUnsafeKey, UNSAFE_KEYS } from './names';
import { TranslationError } from './translation.errors';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
// '\u005f\u005fproto\u005f\u005f' and the like: 6 characters per escaped unit at most.
const LONGEST_ESCAPED_UNSAFE_KEY = 'constructor'.length * 6;

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** Index of the quote closing the string opened at `open`, or `text.length` when it is unterminated. */
function closingQuote(text: string, open: number): number {
  for (let at = text.indexOf('"', open + 1); at !== -1; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return text.length;
}

function isKey(text: string, close: number): boolean {
  let at = close + 1;
  while (isWhitespace(text.charCodeAt(at))) at++;
  return text.charCodeAt(at) === COLON;
}

function hasBackslash(text: string, from: number, to: number): boolean {
  for (let at = from; at < to; at++) if (text.charCodeAt(at) === BACKSLASH) return true;
  return false;
}

// Compares in place instead of slicing each key out and looking it up in a Set: that version ran 1.7 s instead of
// 8 ms on a 640 KB body once V8 had optimised the scanner (measured on Node 20.20; cause not pinned down).
function refuseUnsafeKey(text: string, open: number, close: number): void {
  const length = close - open - 1;
  if (length < 9 || length > LONGEST_ESCAPED_UNSAFE_KEY) return;
  let unsafe: boolean;
  if (hasBackslash(text, open + 1, close)) {
    try {
      unsafe = isUnsafeKey(JSON.parse(text.slice(open, close + 1)) as string);
    } catch {
      return; // JSON.parse of the whole text reports it
    }
  } else {
    unsafe = UNSAFE_KEYS.some((key) => key.length === length && text.startsWith(key, open + 1));
  }
  if (unsafe && isKey(text, close)) throw new TranslationError('unsafe-name');
}

/**
 * One linear pass, no recursion: measures the nesting before JSON.parse builds anything (200k nested arrays parse
 * fine natively but overflow the stack of the next recursive consumer), and refuses unsafe keys (with `keys`), which
 * JSON.parse would create as own properties that a later `Object.assign` or deep merge turns into a prototype change.
 */
function scan(text: string, maxDepth: number, keys: boolean): void {
  let depth = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      const close = closingQuote(text, at);
      if (keys) refuseUnsafeKey(text, at, close);
      at = close;
    } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      if (++depth > maxDepth) throw new TranslationError('too-deep', { detail: `more than ${maxDepth} levels` });
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
      depth--;
    }
  }
}

/**
 * Whether `scan` could refuse a key. A key it refuses holds 'proto' (`__proto__`, `prototype`) or 'uctor'
 * (`constructor`) as written, or spells one of their letters or '_' with an escape, which only `\u005F`..`\u0079` can.
 * Short patterns on purpose: V8 searches those under 7 characters linearly, which measured 2-4 times faster on 20 KB
 * bodies than searching for the whole keys (Node 20.20). Other escapes (`\/`, `\u00e9`) keep the fast path.
 */
function mayHoldUnsafeKey(text: string): boolean {
  if (text.includes('proto') || text.includes('uctor')) return true;
  for (let at = text.indexOf('\\u00'); at !== -1; at = text.indexOf('\\u00', at + 1)) {
    const digit = text.charCodeAt(at + 4);
    if (digit >= 0x35 && digit <= 0x37) return true;
  }
  return false;
}

/**
 * Whether `scan` could go past `maxDepth`: not when the text holds at most `maxDepth` of `[` and `{` in all (those
 * inside strings count too, which only makes the answer more cautious). Compared with `>` as in `scan`, so any
 * `maxDepth` (0, fractional, Infinity) gets the same answer.
 */
function mayNestDeeperThan(text: string, maxDepth: number): boolean {
  let opens = 0;
  for (let at = text.indexOf('['); at !== -1; at = text.indexOf('[', at + 1)) {
    if (++opens > maxDepth) return true;
  }
  for (let at = text.indexOf('{'); at !== -1; at = text.indexOf('{', at + 1)) {
    if (++opens > maxDepth) return true;
  }
  return false;
}

/** Decodes JSON text already known to fit the byte limit (used by `decodeBody` after decoding the bytes). */
export function decodeJsonText(text: string, maxDepth: number): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // The scan cost about as much as JSON.parse (a 958-byte body: 17.4 µs with it, 8.9 µs without). Skipped when
  // native searches prove it would refuse nothing; without its key checks when only the depth is in doubt (a 20-item
  // page holds hundreds of `[` and `{` at 4 levels).
  const keys = mayHoldUnsafeKey(body);
  if (keys || mayNestDeeperThan(body, maxDepth)) scan(body, maxDepth, keys);
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new TranslationError('malformed');
  }
}

/**
 * Decodes JSON text with a byte cap and a nesting cap checked without recursion (a 200,000-deep `[[[…` gives
 * `'too-deep'`, never a RangeError). A leading BOM is ignored. Limits: `maxBytes` counts UTF-8 bytes (default 1 MiB);
 * `maxDepth` counts nested arrays/objects, `[]` being 1 (default 64).
 *
 * @throws TranslationError `'too-large'`, `'too-deep'`, `'unsafe-name'` for a `__proto__`, `constructor` or
 *   `prototype` key (also when written with escapes), `'malformed'`.
 */
export function decodeJson(text: string, options?: DecodeLimits): unknown {
  const { maxBytes, maxDepth } = resolveLimits(options);
  if (exceedsBytes(text, maxBytes)) throw new TranslationError('too-large', { detail: `more than ${maxBytes} bytes` });
  return decodeJsonText(text, maxDepth);
}
