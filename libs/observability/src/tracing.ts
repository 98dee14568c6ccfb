import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** An app's tracer and how to flush it at shutdown; absent when no exporter is configured. */
export interface Tracing {
  readonly tracer: Tracer;
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry traces exported over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (the standard variable:
 * spans go to `<endpoint>/v1/traces`), batched off the request path. One provider per app instance, not the
 * global one, so several apps in one process (tests) never share spans.
 */
export function createTracing(app: string, endpoint: URL | undefined): Tracing | undefined {
  if (!endpoint) return undefined;
  const exporter = new OTLPTraceExporter({ url: new URL('v1/traces', endpoint.href.endsWith('/') ? endpoint : `${endpoint.href}/`).href });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': app }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })],
  });
  return { tracer: provider.getTracer('frontdoor'), shutdown: () => provider.shutdown() };
}
