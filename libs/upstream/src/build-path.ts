import { ProblemError } from '@frontdoor/errors';

const PARAM = /:([A-Za-z_][A-Za-z0-9_]*)/g;
// C0 controls (NUL included), DEL, both slashes and '%' (a value is already decoded once: a '%' left is a second layer)
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f/\\%]/;

function segment(name: string, value: string | number): string {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  if (text === '' || text === '.' || text === '..' || FORBIDDEN.test(text)) {
    throw new ProblemError('invalid-path', `invalid path parameter ${name}`);
  }
  try {
    return encodeURIComponent(text);
  } catch (cause) {
    // a lone surrogate cannot be encoded
    throw new ProblemError('invalid-path', `invalid path parameter ${name}`, { cause });
  }
}

/**
 * Builds an upstream path from a template: `buildPath('/employees/:id', { id: 'E0001' })` → `/employees/E0001`.
 * Each value must already be percent-decoded once (as routers give them); it is validated and then
 * `encodeURIComponent`ed, so it can never add a segment or climb out of the template. Extra params are ignored.
 * @throws ProblemError `invalid-path` (400) when a value is empty, `.`/`..`, or holds `/`, `\`, NUL, a control
 *   character or `%`
 * @throws Error (programming error) when the template does not start with `/` or a template param has no value
 */
export function buildPath(template: string, params: Readonly<Record<string, string | number>> = {}): string {
  const parts = compiled.get(template) ?? compile(template);
  let path = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] as string;
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    if (value === undefined) throw new Error(`buildPath: no value for :${name} in ${template}`);
    path += segment(name, value) + (parts[i + 1] as string);
  }
  return path;
}

// Templates come from code (route tables, clients): a bounded set, each split once into
// [literal, name, literal, name, …, literal] instead of a regex replace per call.
const compiled = new Map<string, readonly string[]>();

function compile(template: string): readonly string[] {
  if (!template.startsWith('/') || template.startsWith('//')) {
    throw new Error(`buildPath: template must start with a single '/': ${template}`);
  }
  const parts: string[] = [];
  let last = 0;
  for (const match of template.matchAll(PARAM)) {
    parts.push(template.slice(last, match.index), match[1] as string);
    last = (match.index as number) + match[0].length;
  }
  parts.push(template.slice(last));
  if (compiled.size < 1024) compiled.set(template, parts);
  return parts;
}
