import pino, { type Logger } from 'pino';
import type { UpstreamCallRecord } from './request-trace';

/** One request's access-log line (`msg: "request"`); `undefined` fields are left out, as pino leaves them out. */
export interface AccessLine {
  readonly reqId: string;
  readonly traceId: string | undefined;
  readonly method: string;
  readonly route: string;
  readonly path: string;
  readonly ip: string | undefined;
  readonly status: number;
  readonly durationMs: number;
  readonly principal: string | undefined;
  readonly upstreams: readonly UpstreamCallRecord[] | undefined;
  readonly degraded: string | undefined;
}

/** What the writer reads of a pino 10 logger through `pino.symbols` (exposed by pino for integrations). */
interface PinoInternals {
  readonly [pino.symbols.lsCacheSym]: Readonly<Record<number, string>>;
  readonly [pino.symbols.timeSym]: () => string;
  readonly [pino.symbols.chindingsSym]: string;
  readonly [pino.symbols.endSym]: string;
  readonly [pino.symbols.messageKeySym]: string;
  readonly [pino.symbols.streamSym]: {
    write(line: string): unknown;
    [pino.symbols.needsMetadataGsym]?: boolean;
  };
  readonly [pino.symbols.mixinSym]?: unknown;
  readonly [pino.symbols.nestedKeySym]?: string | null;
  readonly [pino.symbols.formattersSym]: { readonly log?: unknown };
  readonly [pino.symbols.hooksSym]: { readonly logMethod?: unknown; readonly streamWrite?: unknown };
  readonly [pino.symbols.stringifiersSym]: Readonly<Record<string, unknown>>;
  readonly [pino.symbols.serializersSym]: Readonly<Record<string, unknown>>;
}

/** In pino 10's `symbols` at run time, not in its typings: a child logger's `msgPrefix`. */
const msgPrefixSym = (pino.symbols as unknown as { readonly msgPrefixSym: symbol }).msgPrefixSym;

const INFO = 30;
const FIELDS = [
  'reqId',
  'traceId',
  'method',
  'route',
  'path',
  'ip',
  'status',
  'durationMs',
  'principal',
  'upstreams',
  'degraded',
] as const;

/**
 * Writes access lines for `logger` (level `info`; the caller checks `isLevelEnabled('info')`): the same bytes
 * `logger.info(line, 'request')` writes, built directly. Why by hand: pino's generic path (a `for…in` over the object,
 * per key a serializer, a redaction stringifier and its own escaping loop) was 5.3 % of web-bff's main-thread samples
 * on the pass-through route (pino 30.7 of 580 profiled µs per request, docs/benchmarks.md §9); this line has a fixed
 * set of keys, none of them redacted, so what it needs is one concatenation with `JSON.stringify` on each string.
 * Prefix, time, bindings and the line's end are pino's own (`pino.symbols`), so the line follows the logger's
 * settings. A logger this cannot reproduce exactly (a mixin, hooks, `formatters.log`, a nested key, a message prefix,
 * a serializer or a redacted path on one of these keys, a stream that needs pino's metadata) gets `logger.info`.
 */
export function accessLineWriter(logger: Logger): (line: AccessLine) => void {
  const l = logger as unknown as PinoInternals;
  const s = pino.symbols;
  const stream = l[s.streamSym];
  const stringifiers = l[s.stringifiersSym];
  const serializers = l[s.serializersSym];
  const generic =
    l[s.mixinSym] != null ||
    l[s.nestedKeySym] != null ||
    l[s.formattersSym].log != null ||
    l[s.hooksSym].logMethod != null ||
    l[s.hooksSym].streamWrite != null ||
    stream[s.needsMetadataGsym] === true ||
    typeof (logger as unknown as Record<symbol, unknown>)[msgPrefixSym] === 'string' ||
    stringifiers[s.wildcardFirstSym as unknown as string] != null ||
    FIELDS.some((key) => serializers[key] != null || stringifiers[key] != null);
  if (generic) return (line) => logger.info(line, 'request');
  const head = l[s.lsCacheSym][INFO] as string;
  const bindings = l[s.chindingsSym];
  const tail = `,${JSON.stringify(l[s.messageKeySym])}:"request"${l[s.endSym]}`;
  return (line) => {
    let text = head + l[s.timeSym]() + bindings + ',"reqId":' + JSON.stringify(line.reqId);
    if (line.traceId !== undefined) text += ',"traceId":' + JSON.stringify(line.traceId);
    text +=
      ',"method":' +
      JSON.stringify(line.method) +
      ',"route":' +
      JSON.stringify(line.route) +
      ',"path":' +
      JSON.stringify(line.path);
    if (line.ip !== undefined) text += ',"ip":' + JSON.stringify(line.ip);
    text += ',"status":' + numberOf(line.status) + ',"durationMs":' + numberOf(line.durationMs);
    if (line.principal !== undefined) text += ',"principal":' + JSON.stringify(line.principal);
    if (line.upstreams !== undefined) text += ',"upstreams":' + JSON.stringify(line.upstreams);
    if (line.degraded !== undefined) text += ',"degraded":' + JSON.stringify(line.degraded);
    // read each time: pino replaces `write` with a no-op once the destination is closed (EPIPE)
    stream.write(text + tail);
  };
}

/** A number as pino writes it: `null` when not finite. */
function numberOf(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}
