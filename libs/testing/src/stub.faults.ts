import type { ServerResponse } from 'node:http';
import type { StubHandler } from './stub.server';

/** A string every canned error body carries, so specs can assert that upstream bodies never leak. */
export const UPSTREAM_BODY_MARKER = 'stub-internal-detail';

const CHUNK = 64 * 1024;
const FILLER = Buffer.alloc(CHUNK, 'x');

/** Runs `fn` after `ms` unless the response was closed (client gone, stub closed) before. */
function later(res: ServerResponse, ms: number, fn: () => void): void {
  const timer = setTimeout(fn, ms);
  res.once('close', () => clearTimeout(timer));
}

/** Resolves when the response can take more data, or when it is gone. */
function writable(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/** Writes `parts` honouring back-pressure, stopping quietly if the client goes away. */
async function stream(res: ServerResponse, parts: Iterable<Buffer | string>): Promise<void> {
  for (const part of parts) {
    if (res.destroyed) return;
    if (!res.write(part)) await writable(res);
  }
  if (!res.destroyed) res.end();
}

function* paddedJson(bytes: number): Generator<Buffer | string> {
  const open = '{"pad":"';
  const close = '"}';
  let left = bytes - open.length - close.length;
  if (left < 0) throw new Error(`hugeBody needs at least ${open.length + close.length} bytes`);
  yield open;
  while (left > 0) {
    const n = Math.min(left, CHUNK);
    yield n === CHUNK ? FILLER : FILLER.subarray(0, n);
    left -= n;
  }
  yield close;
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string>,
): void {
  res
    .writeHead(status, {
      'content-type': contentType,
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    })
    .end(body);
}

/** Splits `text` into `n` nearly equal, non-empty pieces (fewer when `text` is shorter than `n`). */
export function splitEvenly(text: string, n: number): string[] {
  const count = Math.max(1, Math.min(n, text.length));
  const size = Math.ceil(text.length / count);
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

const BILLION_LAUGHS = [
  '<?xml version="1.0"?>',
  '<!DOCTYPE lolz [',
  '  <!ENTITY lol "lol">',
  ...Array.from({ length: 9 }, (_, i) => {
    const previous = i === 0 ? 'lol' : `lol${i}`;
    return `  <!ENTITY lol${i + 1} "${`&${previous};`.repeat(10)}">`;
  }),
  ']>',
  '<lolz>&lol9;</lolz>',
].join('\n');

/**
 * Canned upstream behaviours, each a {@link StubHandler}. Bodies that are not the point of the fault are small
 * JSON documents; error bodies carry {@link UPSTREAM_BODY_MARKER}.
 */
export const faults = {
  /** Answers `status` with `body` as JSON (content-length set). */
  json(status: number, body: unknown, headers: Record<string, string> = {}): StubHandler {
    const text = JSON.stringify(body);
    return (_req, res) => send(res, status, 'application/json', text, headers);
  },

  /** Answers `status` with `body` as `application/xml` (content-length set). */
  xml(status: number, body: string, headers: Record<string, string> = {}): StubHandler {
    return (_req, res) => send(res, status, 'application/xml', body, headers);
  },

  /** Answers `status` with `body` as `contentType` (content-length set). */
  text(status: number, contentType: string, body: string, headers: Record<string, string> = {}): StubHandler {
    return (_req, res) => send(res, status, contentType, body, headers);
  },

  /** Waits `ms` before writing anything, then answers 200 `{"ok":true}`. */
  slowHeaders(ms: number): StubHandler {
    return (_req, res) => later(res, ms, () => send(res, 200, 'application/json', '{"ok":true}', {}));
  },

  /** Sends 200 headers at once, then drips a JSON array body in `chunks` pieces, the last one at `totalMs`. */
  slowBody(totalMs: number, chunks = 10): StubHandler {
    const body = JSON.stringify(Array.from({ length: Math.max(chunks, 1) * 4 }, (_, i) => ({ i })));
    const pieces = splitEvenly(body, chunks);
    return (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
      });
      res.flushHeaders();
      let sent = 0;
      const timer = setInterval(() => {
        res.write(pieces[sent]);
        sent += 1;
        if (sent === pieces.length) {
          clearInterval(timer);
          res.end();
        }
      }, totalMs / pieces.length);
      res.once('close', () => clearInterval(timer));
    };
  },

  /** Sends headers announcing a full body, half of it, then destroys the socket. */
  resetMidBody(): StubHandler {
    const body = JSON.stringify({ items: Array.from({ length: 100 }, (_, i) => ({ i, name: `item ${i}` })) });
    const half = body.slice(0, body.length >> 1);
    return (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
      });
      res.write(half);
      later(res, 20, () => res.socket?.destroy());
    };
  },

  /** 200 `application/json` whose body is cut in the middle of a value (content-length is right). */
  garbageJson(): StubHandler {
    return (_req, res) => send(res, 200, 'application/json', '{"id":"E0001","name": tru', {});
  },

  /** 200 `application/xml` whose tags do not match (content-length is right). */
  garbageXml(): StubHandler {
    return (_req, res) => send(res, 200, 'application/xml', '<payroll><employee>E0001</payroll>', {});
  },

  /**
   * Valid JSON (`{"pad":"xxx…"}`) of exactly `bytes` bytes, streamed with back-pressure. With
   * `contentLength: false` it is sent chunked, so the size is only known while reading.
   */
  hugeBody(bytes: number, options: { contentLength?: boolean } = {}): StubHandler {
    const withLength = options.contentLength ?? true;
    return (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(withLength ? { 'content-length': String(bytes) } : {}),
      });
      return stream(res, paddedJson(bytes));
    };
  },

  /** Answers `status` (default 302) with a `Location` and an empty body. */
  redirect(location: string, status = 302): StubHandler {
    return (_req, res) => {
      res.writeHead(status, { location, 'content-length': '0' }).end();
    };
  },

  /** 200 `application/xml` with nested entity definitions (the "billion laughs" expansion bomb). */
  billionLaughs(): StubHandler {
    return (_req, res) => send(res, 200, 'application/xml', BILLION_LAUGHS, {});
  },

  /** 200 JSON of `depth` nested arrays: `[[[…]]]`. */
  deepJson(depth: number): StubHandler {
    const body = '['.repeat(depth) + ']'.repeat(depth);
    return (_req, res) => send(res, 200, 'application/json', body, {});
  },

  /** Answers `code` with `headers` and a small JSON error body carrying {@link UPSTREAM_BODY_MARKER}. */
  status(code: number, headers: Record<string, string> = {}): StubHandler {
    const body =
      code === 204 || code === 304 ? '' : JSON.stringify({ error: UPSTREAM_BODY_MARKER, at: '127.0.0.1' });
    return (_req, res) => send(res, code, 'application/json', body, headers);
  },

  /** Reads the request and never answers (the socket stays open until the client or `stub.close()` ends it). */
  hang(): StubHandler {
    return () => undefined;
  },

  /** Answers the n-th request with `handlers[n]`, and every later one with the last handler. */
  sequence(...handlers: StubHandler[]): StubHandler {
    if (handlers.length === 0) throw new Error('faults.sequence needs at least one handler');
    let calls = 0;
    return (req, res, body) => handlers[Math.min(calls++, handlers.length - 1)](req, res, body);
  },
};
