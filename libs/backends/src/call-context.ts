/**
 * What a backend call carries from the client request: only allow-listed headers (`x-request-id`, `traceparent`,
 * later the gateway's own identity token) and the request's deadline signal. Never client credentials.
 */
export interface CallContext {
  readonly headers: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Overrides the route deadline for this call (e.g. an optional part's share of the budget). */
  readonly deadlineMs?: number;
}
