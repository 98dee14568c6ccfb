import { randomFillSync } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { CallOutcome, CallSpan, CallTrace } from '@frontdoor/upstream';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
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
  readonly calls: UpstreamCallRecord[] = [];
  private readonly span: Span | undefined;

  constructor(
    incoming: string | string[] | undefined,
    name: string,
    private readonly observer: CallObserver,
    private readonly tracer?: Tracer,
  ) {
    const match = typeof incoming === 'string' ? TRACEPARENT.exec(incoming) : null;
    const valid = match !== null && match[1] !== ZERO_TRACE && match[2] !== ZERO_SPAN;
    const parentTraceId = valid ? (match[1] as string) : undefined;
    const flags = valid ? parseInt(match[3] as string, 16) : 1;
    if (tracer) {
      const parent = parentTraceId
        ? trace.setSpanContext(ROOT_CONTEXT, { traceId: parentTraceId, spanId: match?.[2] as string, traceFlags: flags, isRemote: true })
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
