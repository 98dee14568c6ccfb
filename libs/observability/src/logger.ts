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
    options.destination ?? bufferedDestination(1),
  );
}

/** Lines are written once this many bytes are buffered… */
export const LOG_BUFFER_BYTES = 32 * 1024;
/** …or this long after the last write, whichever comes first (so a quiet gateway's lines still show up). */
export const LOG_FLUSH_MS = 1000;

/**
 * Where an app's lines go: `fd` (stdout) through pino's sonic-boom, written off the request path (libuv's pool), in
 * batches of {@link LOG_BUFFER_BYTES} and at least every {@link LOG_FLUSH_MS} — nginx's `access_log … buffer=32k
 * flush=1s`. runBff flushes what is left before the process exits; a process killed outright loses at most the last
 * second of lines. Without the periodic flush a quiet gateway held its lines (start-up lines included) until the
 * buffer filled.
 *
 * Why this shape (ad hoc, one core, pino 10 / sonic-boom 4, a 372-byte access line; docs/benchmarks.md "Logging"):
 * each asynchronous write costs a thread-pool hand-off whatever its size, so lines must be batched; but sonic-boom's
 * string mode appends each line to one string and measures it with `Buffer.byteLength`, which flattens the whole
 * batch on every line — 8.4 KB allocated per line in 4 KiB batches, 21 KB in 32 KiB ones. Its buffer mode keeps a
 * list and joins it once per write, so each line is handed over as a Buffer (pino writes strings): 3.4 KB and
 * 2.9 µs per line (pino's own share included) against 8.4 KB and 4.7 µs in 4 KiB string batches.
 */
export function bufferedDestination(fd: number | string): DestinationStream {
  const stream = pino.destination({
    dest: fd,
    sync: false,
    contentMode: 'buffer',
    minLength: LOG_BUFFER_BYTES,
    // sonic-boom refuses a minLength not below maxWrite (16 KiB by default)
    maxWrite: 2 * LOG_BUFFER_BYTES,
    periodicFlush: LOG_FLUSH_MS,
  } as Parameters<typeof pino.destination>[0]);
  const writeBuffer = stream.write.bind(stream) as unknown as (chunk: Buffer) => boolean;
  // pino replaces `write` itself on EPIPE (lib/tools.js, buildSafeSonicBoom); that replacement still wins, since it
  // is set on this same object after this line
  stream.write = (line: string | Buffer) => writeBuffer(typeof line === 'string' ? Buffer.from(line) : line);
  return stream;
}
