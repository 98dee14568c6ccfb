import { randomFillSync } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { CallOutcome, CallSpan, CallTrace } from '@frontdoor/upstream';

/**
 * W3C Trace Context §3.2: version 00 is exactly four fields; a later version (any but the invalid `ff`) is read by
 * its first four and what follows a further dash is ignored (§4.3), so a client ahead of us keeps its trace.
 */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
/**
 * §3.3: `tracestate` is a list of up to 32 `key=value` members (vendor keys, `tenant@system` keys), each value
 * printable ASCII without `,` or `=` and not ending in a space, passed on as it came with the trace it belongs to.
 * One longer than 512 characters, or with a malformed member, is dropped whole rather than passed on in part.
 */
const TRACESTATE_MEMBER = /^[a-z0-9][_0-9a-z\-*/]{0,240}(?:@[a-z][_0-9a-z\-*/]{0,13})?=[\x21-\x2b\x2d-\x3c\x3e-\x7e](?:[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,254}[\x21-\x2b\x2d-\x3c\x3e-\x7e])?$/;
const MAX_TRACESTATE = 512;

/** The incoming `tracestate` as it may be passed on, or undefined (absent, too long, malformed). */
export function tracestateOf(incoming: string | string[] | undefined): string | undefined {
  const value = Array.isArray(incoming) ? incoming.join(',') : incoming;
  if (value === undefined || value.length === 0 || value.length > MAX_TRACESTATE) return undefined;
  const members = value.split(',');
  let kept = 0;
  for (const raw of members) {
    const member = raw.trim();
    if (member === '') continue; // §3.3.1.1: empty list members are allowed
    if (!TRACESTATE_MEMBER.test(member)) return undefined;
    kept += 1;
  }
  return kept === 0 || kept > 32 ? undefined : value;
}
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** Random ids from a pooled buffer: one syscall per 512 ids instead of one per id. */
const pool = Buffer.allocUnsafe(4096);
let offset = pool.length;
function randomHex(bytes: 8 | 16): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

/** One upstream call as the access log records it. */
export interface UpstreamCallRecord {
  readonly upstream: string;
  readonly outcome: CallOutcome;
  readonly status?: number;
  readonly ms: number;
}

/** Where a request's upstream calls are reported besides its own log line (metrics). */
export interface CallObserver {
  observeUpstream(upstream: string, outcome: CallOutcome, seconds: number): void;
}

/**
 * The W3C trace context of one request: accepted from a valid `traceparent` (same trace, the client's span as
 * parent) or started here. Each upstream call is a child span whose `traceparent` goes upstream. With an
 * OpenTelemetry tracer (an exporter switched on by OTEL_EXPORTER_OTLP_ENDPOINT) the spans are real and exported;
 * without one, ids are generated here and nothing else is done (no per-request cost beyond two ids).
 */
export class RequestTrace implements CallTrace {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean;
  /** The client's `tracestate`, passed on with its trace (only when its `traceparent` was accepted). */
  readonly tracestate: string | undefined;
  readonly calls: UpstreamCallRecord[] = [];
  private readonly span: Span | undefined;

  constructor(
    incoming: string | string[] | undefined,
    name: string,
    private readonly observer: CallObserver,
    private readonly tracer?: Tracer,
    incomingState?: string | string[],
  ) {
    const match = typeof incoming === 'string' ? TRACEPARENT.exec(incoming) : null;
    const version = match?.[1];
    const valid =
      match !== null && version !== 'ff' && (version !== '00' || match[5] === undefined) && match[2] !== ZERO_TRACE && match[3] !== ZERO_SPAN;
    const parentTraceId = valid ? (match[2] as string) : undefined;
    const flags = valid ? parseInt(match[4] as string, 16) : 1;
    // §3.3.1: a tracestate without a valid traceparent is discarded
    this.tracestate = valid && incomingState !== undefined ? tracestateOf(incomingState) : undefined;
    if (tracer) {
      const parent = parentTraceId
        ? trace.setSpanContext(ROOT_CONTEXT, { traceId: parentTraceId, spanId: match?.[3] as string, traceFlags: flags, isRemote: true })
        : ROOT_CONTEXT;
      this.span = tracer.startSpan(name, { kind: SpanKind.SERVER }, parent);
      const context = this.span.spanContext();
      this.traceId = context.traceId;
      this.spanId = context.spanId;
      this.sampled = (context.traceFlags & 1) === 1;
    } else {
      this.traceId = parentTraceId ?? randomHex(16);
      this.spanId = randomHex(8);
      this.sampled = (flags & 1) === 1;
    }
  }

  /** The `traceparent` of this request's own span (for answers and logs). */
  get traceparent(): string {
    return `00-${this.traceId}-${this.spanId}-${this.sampled ? '01' : '00'}`;
  }

  begin(upstream: string): CallSpan {
    const started = performance.now();
    const child = this.span ? this.tracer?.startSpan(upstream, { kind: SpanKind.CLIENT, attributes: { 'peer.service': upstream } }, trace.setSpan(ROOT_CONTEXT, this.span)) : undefined;
    const spanId = child ? child.spanContext().spanId : randomHex(8);
    return {
      traceparent: `00-${this.traceId}-${spanId}-${this.sampled ? '01' : '00'}`,
      tracestate: this.tracestate,
      end: (outcome, status) => {
        const ms = performance.now() - started;
        this.calls.push({ upstream, outcome, status, ms: Math.round(ms * 10) / 10 });
        this.observer.observeUpstream(upstream, outcome, ms / 1000);
        if (child) {
          if (status !== undefined) child.setAttribute('http.response.status_code', status);
          if (outcome !== '2xx' && outcome !== '3xx' && outcome !== '4xx') child.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
          child.end();
        }
      },
    };
  }

  /** Ends the request's span (exported when a tracer is set). */
  finish(route: string, method: string, status: number): void {
    if (!this.span) return;
    this.span.updateName(`${method} ${route}`);
    this.span.setAttribute('http.route', route);
    this.span.setAttribute('http.response.status_code', status);
    if (status >= 500) this.span.setStatus({ code: SpanStatusCode.ERROR });
    this.span.end();
  }
}
