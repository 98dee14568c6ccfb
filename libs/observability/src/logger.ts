import { fstatSync, writeSync } from 'node:fs';
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
  const destination = options.destination ?? bufferedDestination(1);
  const logger = pino(
    {
      level: options.level,
      base: { app: options.app },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      // epoch milliseconds (pino's default): free, where an ISO string costs a Date formatting per line
      timestamp: pino.stdTimeFunctions.epochTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  const sink = sinks.get(destination);
  if (sink !== undefined) reportDrops(logger, destination as SonicBoomBuffer, sink);
  return logger;
}

/** Lines are written once this many bytes are buffered… */
export const LOG_BUFFER_BYTES = 32 * 1024;
/** …or this long after the last write, whichever comes first (so a quiet gateway's lines still show up). */
export const LOG_FLUSH_MS = 1000;
/**
 * At most this many bytes wait to be written (stdout that nobody reads, a log collector that stalls): a line that
 * would go past it is dropped and counted, and a warning says how many once writing resumes. ~22,000 access lines;
 * unbounded, a blocked stdout grew the process by ~2 KB per request.
 */
export const LOG_BUFFER_MAX_BYTES = 8 * 1024 * 1024;
/**
 * The longest a synchronous flush (`flushSync`: pino's exit hook, runBff's forced exit) waits for a full pipe to take
 * the lines held; what it has not taken by then is dropped. No wait at all when the pipe has taken nothing for that
 * long already.
 */
export const LOG_SYNC_FLUSH_MS = 1000;

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
 *
 * A reader that stops reading (stdout a pipe nobody reads) costs neither memory nor the exit: at most `maxBytes`
 * wait (sonic-boom's `maxLength`; the lines past it are dropped, counted, and reported by {@link createLogger});
 * stdout as a pipe or socket is made non-blocking, so a write to a full pipe fails at once (EAGAIN, retried by
 * sonic-boom every 100 ms) instead of blocking a thread of libuv's pool, which `process.exit` waits for (a blocked
 * write held the process past any exit); and `flushSync` gives up after {@link LOG_SYNC_FLUSH_MS}. A closed pipe
 * (EPIPE) ends the logging silently (pino's own handling, kept: it replaces `write` and `flushSync` with no-ops).
 */
export function bufferedDestination(fd: number | string, maxBytes = LOG_BUFFER_MAX_BYTES): DestinationStream {
  if (fd === 1 || fd === 2) nonBlockingIfPipe(fd);
  const sink: Sink = { dropped: 0, stalledSince: undefined };
  const stream = pino.destination({
    dest: fd,
    sync: false,
    contentMode: 'buffer',
    minLength: LOG_BUFFER_BYTES,
    // sonic-boom refuses a minLength not below maxWrite (16 KiB by default)
    maxWrite: 2 * LOG_BUFFER_BYTES,
    maxLength: maxBytes,
    periodicFlush: LOG_FLUSH_MS,
    // a write the full pipe refused: sonic-boom keeps the batch and retries it in 100 ms (no write of it in progress)
    retryEAGAIN: () => {
      sink.stalledSince ??= Date.now();
      return true;
    },
  } as Parameters<typeof pino.destination>[0]) as unknown as SonicBoomBuffer;
  stream.on('write', () => (sink.stalledSince = undefined));
  stream.on('drop', () => sink.dropped++);
  const writeBuffer = stream.write.bind(stream);
  // pino replaces `write` itself on EPIPE (lib/tools.js, buildSafeSonicBoom); that replacement still wins, since it
  // is set on this same object after this line
  stream.write = (line: string | Buffer) => writeBuffer(typeof line === 'string' ? Buffer.from(line) : line);
  // pino's exit hook calls it; sonic-boom's own loops for ever on a full pipe (EAGAIN) and on a closed one (EPIPE)
  stream.flushSync = () => writeOutSync(stream, sink);
  sinks.set(stream, sink);
  return stream;
}

interface Sink {
  /** Lines dropped since the last warning about them. */
  dropped: number;
  /** Since when sonic-boom holds a batch the pipe refused, to retry it; undefined once a write went through. */
  stalledSince: number | undefined;
}

/** What this module uses of sonic-boom 4 in buffer mode, its internal state included (see writeOutSync). */
interface SonicBoomBuffer extends DestinationStream {
  write(line: string | Buffer): boolean;
  flushSync(): void;
  on(event: 'write' | 'drop' | 'drain', listener: () => void): unknown;
  readonly fd: number;
  readonly destroyed: boolean;
  _writing: boolean;
  _writingBuf: Buffer;
  _bufs: Buffer[][];
  _lens: number[];
  _len: number;
}

const sinks = new WeakMap<object, Sink>();

/**
 * What Node does to a stdio pipe or socket when `process.stdout` is first used: libuv opens it in non-blocking mode
 * (other processes sharing that pipe end see the same, as with any Node program that writes to `process.stdout`).
 */
function nonBlockingIfPipe(fd: 1 | 2): void {
  try {
    const stat = fstatSync(fd);
    if (!stat.isFIFO() && !stat.isSocket()) return;
  } catch {
    return;
  }
  void (fd === 1 ? process.stdout : process.stderr);
}

/**
 * Once the backlog is written after lines were dropped (sonic-boom's `drain`: under LOG_BUFFER_BYTES left, so the
 * warning is not dropped itself), one warning says how many.
 */
function reportDrops(logger: Logger, stream: SonicBoomBuffer, sink: Sink): void {
  stream.on('drain', () => {
    if (sink.dropped === 0) return;
    const droppedLines = sink.dropped;
    sink.dropped = 0;
    logger.warn(
      { droppedLines },
      `${droppedLines} log lines were dropped: the log output did not take them in time`,
    );
  });
}

const pause = new Int32Array(new SharedArrayBuffer(4));
const EMPTY = Buffer.alloc(0);

/**
 * sonic-boom's `flushSync`, bounded: writes the lines held, oldest first (a batch waiting for its retry included),
 * retrying a full pipe for at most LOG_SYNC_FLUSH_MS (not at all when it has taken nothing for that long already),
 * and gives up on any other error (a closed pipe). What it does not write is dropped. Never throws.
 */
function writeOutSync(stream: SonicBoomBuffer, sink: Sink): void {
  if (stream.destroyed || stream.fd < 0) return;
  const chunks: Buffer[] = [];
  // the batch sonic-boom holds goes first unless a write of it is in progress (then it is that write's): held for a
  // retry (which will find it empty and carry on as after any write), or left by a failed write
  if (stream._writingBuf.length > 0 && (!stream._writing || sink.stalledSince !== undefined)) {
    chunks.push(stream._writingBuf);
    stream._writingBuf = EMPTY;
  }
  for (const batch of stream._bufs) chunks.push(...batch);
  stream._bufs = [];
  stream._lens = [];
  stream._len = stream._writingBuf.length;
  let data = Buffer.concat(chunks);
  const now = Date.now();
  const stalledLong = sink.stalledSince !== undefined && now - sink.stalledSince >= LOG_SYNC_FLUSH_MS;
  const deadline = stalledLong ? now : now + LOG_SYNC_FLUSH_MS;
  while (data.length > 0) {
    try {
      data = data.subarray(writeSync(stream.fd, data));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() >= deadline) return;
      Atomics.wait(pause, 0, 0, 10);
    }
  }
}
