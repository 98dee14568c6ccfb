/** Why a body could not be translated. Callers map these to 400 (client input) or 502 (upstream input). */
export type TranslationFailure =
  | 'malformed'
  | 'doctype'
  | 'too-large'
  | 'too-deep'
  | 'unsafe-name'
  | 'unsupported-charset'
  | 'unsupported-type';

const MESSAGES: Readonly<Record<TranslationFailure, string>> = {
  malformed: 'malformed input',
  doctype: 'document type declarations are not allowed',
  'too-large': 'input exceeds the size limit',
  'too-deep': 'input exceeds the nesting limit',
  'unsafe-name': 'input uses a reserved or invalid name',
  'unsupported-charset': 'unsupported charset',
  'unsupported-type': 'unsupported media type',
};

const TRANSLATION_BRAND = Symbol.for('frontdoor.translation');

export interface TranslationErrorOptions {
  /** The typed field that did not fit (a name from code, never from input). */
  readonly field?: string;
  /** Where or which limit, e.g. `line 3, column 7` — never a fragment of the input. */
  readonly detail?: string;
}

/**
 * A body could not be decoded or encoded. The message is safe to log and to render: it names the failure, the field
 * and a position or limit, and never contains any part of the input. The original parser error is dropped on purpose
 * (V8 and fast-xml-parser messages quote the input).
 */
export class TranslationError extends Error {
  readonly [TRANSLATION_BRAND] = true;
  readonly field: string | undefined;

  constructor(
    readonly failure: TranslationFailure,
    options: TranslationErrorOptions = {},
  ) {
    super(messageOf(failure, options));
    this.name = 'TranslationError';
    this.field = options.field;
  }
}

/** Brand check that survives duplicated module instances (bundles, jest module registries). */
export function isTranslationError(error: unknown): error is TranslationError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[TRANSLATION_BRAND] === true;
}

function messageOf(failure: TranslationFailure, { field, detail }: TranslationErrorOptions): string {
  const where = field === undefined ? '' : ` (field "${field.slice(0, 64)}")`;
  return `${MESSAGES[failure]}${where}${detail === undefined ? '' : `: ${detail}`}`;
}
