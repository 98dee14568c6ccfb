import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Paths redacted from every log line, wherever a header bag is logged. Defence in depth: our own log calls never
 * log header bags, but a library or a future change might.
 */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
  'headers["proxy-authorization"]',
  'authorization',
  'apiKey',
  'token',
  'password',
  'bankAccount',
  'iban',
];

export interface LoggerOptions {
  readonly app: string;
  readonly level: string;
  /** Where lines go; defaults to stdout. Tests pass a capturing stream and assert on what was written. */
  readonly destination?: DestinationStream;
}

/** The app's pino logger: JSON lines, secrets redacted, `app` on every line. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { app: options.app },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      // epoch milliseconds (pino's default): free, where an ISO string costs a Date formatting per line
      timestamp: pino.stdTimeFunctions.epochTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    // lines are batched into 4 KiB writes off the request path; runBff flushes them before the process exits
    options.destination ?? pino.destination({ sync: false, minLength: 4096 }),
  );
}
