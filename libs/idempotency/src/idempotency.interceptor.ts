import { createHash } from 'node:crypto';
import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemError } from '@frontdoor/errors';
import { spendDeadline } from '@frontdoor/platform';
import { principalOf } from '@frontdoor/rbac';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { firstValueFrom, from, type Observable } from 'rxjs';
import { fingerprintOf } from './fingerprint';
import { IDEMPOTENT_KEY, type IdempotencyKeyPolicy } from './idempotent.decorator';
import type { IdempotencyStore, StoredAnswer } from './idempotency.store';

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');
export const IDEMPOTENCY_SETTINGS = Symbol('IDEMPOTENCY_SETTINGS');

export interface IdempotencySettings {
  /** How long an answer is replayed (default 24 h). */
  readonly ttlMs: number;
  /**
   * How long a key stays "in progress" without an answer (default 10 s; apps: the route deadline + 2 s). A first
   * attempt cannot run longer than its route deadline, so this only lapses when its instance died mid-request:
   * then the key is free again soon, instead of answering 409 for the answer's whole TTL.
   */
  readonly pendingTtlMs: number;
  /** How long a duplicate waits for the first attempt to finish before answering 409 (default 5 s; apps: the route deadline). */
  readonly waitMs: number;
}

interface WithUpstreamKey {
  idempotencyUpstreamKey?: string;
}

/**
 * The key to send upstream with the request an `@Idempotent()` route makes (`Idempotency-Key`): derived from the
 * caller's key and principal, so two partners' keys never meet at the upstream and neither learns the other's.
 * Undefined outside an idempotent route.
 */
export function upstreamIdempotencyKeyOf(request: FastifyRequest): string | undefined {
  return (request as FastifyRequest & WithUpstreamKey).idempotencyUpstreamKey;
}

const KEY_FORMAT = /^[\x21-\x7e]{8,255}$/;

/**
 * Runs `@Idempotent()` routes at most once per (principal, Idempotency-Key). Records are scoped by principal, so
 * one partner can never replay — or learn about — another's answers. Only successful answers are stored; a
 * failed first attempt frees the key so that the client's retry runs. Room is scoped by principal too: in
 * memory, a principal holding its share of live records gets 429 for a new key while every other one is served.
 *
 * A failure can leave the outcome unknown: a 504 may come just after the upstream placed the order. The gateway
 * cannot tell, so the route sends `upstreamIdempotencyKeyOf(request)` upstream as `Idempotency-Key`: the retry
 * reaches the upstream with the same key and gets the first order back instead of placing a second one. The
 * records here replay answers and keep concurrent duplicates from running at once; the upstream key is what makes
 * a retry after an unknown outcome safe (found by the load-and-fault run, tools/load-fault).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    @Inject(IDEMPOTENCY_SETTINGS) private readonly settings: IdempotencySettings,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const policy = this.reflector.get<IdempotencyKeyPolicy | undefined>(IDEMPOTENT_KEY, context.getHandler());
    if (policy === undefined) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // optional: a request without a key is served as if the route were not idempotent (no record, no upstream key)
    if (policy === 'optional' && request.headers['idempotency-key'] === undefined) return next.handle();
    return from(this.run(context, next, policy));
  }

  private async run(context: ExecutionContext, next: CallHandler, policy: IdempotencyKeyPolicy): Promise<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const given = request.headers['idempotency-key'];
    if (typeof given !== 'string' || !KEY_FORMAT.test(given)) {
      throw new ProblemError(
        'bad-request',
        policy === 'required'
          ? 'This route requires an Idempotency-Key header of 8 to 255 visible ASCII characters.'
          : 'An Idempotency-Key header must be 8 to 255 visible ASCII characters.',
      );
    }
    // the records' owner: its keys are its own, and so is its share of the store (MemoryIdempotencyStore)
    const owner = ownerOf(principalOf(request));
    const fingerprint = fingerprintOf(request.method, request.routeOptions.url ?? request.url, request.body);

    const outcome = await this.claim(request, owner, given, fingerprint);
    if (outcome) return this.replay(reply, outcome);
    const upstreamKey = createHash('sha256').update(`${owner}:${given}`).digest('base64url');
    (request as FastifyRequest & WithUpstreamKey).idempotencyUpstreamKey = upstreamKey;
    try {
      const before = reply.getHeaders();
      const body = await firstValueFrom(next.handle(), { defaultValue: undefined });
      // the status the answer goes out with: the route's own, which Nest set before the interceptors (@HttpCode, else
      // 201 for POST), unless the handler set another (a pass-through row answers with the upstream's status)
      const answer = { status: reply.statusCode, body, headers: headersSetSince(before, reply.getHeaders()) };
      await this.store.complete(owner, given, fingerprint, answer, this.settings.ttlMs);
      return body;
    } catch (error) {
      await this.store.abandon(owner, given).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Undefined when this request won the key; otherwise the stored answer to replay. A duplicate that waited for an
   * earlier attempt and then won the key (that attempt failed and freed it) has its wait charged to its deadline
   * (`spendDeadline`): its own calls get what is left, so waiting and running together keep to one route deadline
   * (`waitMs` is that deadline in the apps). It ran a whole deadline of its own before: up to twice the deadline.
   */
  private async claim(request: FastifyRequest, owner: string, key: string, fingerprint: string): Promise<StoredAnswer | undefined> {
    const startedAt = Date.now();
    const deadline = startedAt + this.settings.waitMs;
    let waited = false;
    for (;;) {
      const outcome = await this.store.begin(owner, key, fingerprint, this.settings.pendingTtlMs).catch((cause: unknown) => {
        throw new ProblemError('service-unavailable', 'Idempotency records are unavailable; retry later.', { headers: { 'Retry-After': '1' }, cause });
      });
      if (outcome.kind === 'started') {
        if (waited) spendDeadline(request, Date.now() - startedAt);
        return undefined;
      }
      if (outcome.kind === 'replay') return outcome.answer;
      if (outcome.kind === 'owner-full') {
        // 429, not 503: the cause is this client's own volume (its share of live keys is used up), so the
        // answer tells it, and only it, to slow down, with `Retry-After` until its first record expires. A 503
        // would say the gateway is failing while every other client is still served, and clients, load balancers
        // and alerts take a 5xx as ours to fix and retry it at once. The 503 stays for the global bound (above),
        // which no single client caused.
        const retryAfterS = Math.max(1, Math.ceil(outcome.retryAfterMs / 1000));
        throw new ProblemError('rate-limited', 'Too many of your Idempotency-Keys are live; retry later.', {
          headers: { 'Retry-After': String(retryAfterS) },
        });
      }
      if (outcome.kind === 'mismatch') {
        throw new ProblemError('unprocessable-content', 'This Idempotency-Key was already used for a different request (another method, path, API version or body).');
      }
      if (Date.now() >= deadline) {
        throw new ProblemError('conflict', 'A request with this Idempotency-Key is still in progress.', { headers: { 'Retry-After': '1' } });
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
      waited = true;
    }
  }

  /**
   * The stored status replaces the one Nest set before the interceptors; Nest does not set it again after them. The
   * headers the handler set come back too; those of the pipeline (request id, limits, CORS…) are this request's own.
   */
  private replay(reply: FastifyReply, answer: StoredAnswer): unknown {
    if (answer.headers !== undefined) reply.headers(answer.headers);
    reply.header('Idempotent-Replayed', 'true');
    reply.status(answer.status);
    return answer.body;
  }
}

type Headers = ReturnType<FastifyReply['getHeaders']>;

/**
 * The headers of the answer that the handler set or changed: what describes this answer (`Cache-Control`,
 * `Location`, a pass-through row's upstream headers) rather than this request (request id, rate-limit headers, CORS,
 * all set before the handler, and the representation headers the send hooks set after it).
 */
function headersSetSince(before: Headers, after: Headers): StoredAnswer['headers'] {
  let set: Record<string, string | number | string[]> | undefined;
  for (const [name, value] of Object.entries(after)) {
    if (value === undefined || String(before[name]) === String(value)) continue;
    set ??= {};
    set[name] = value;
  }
  return set;
}

/**
 * The owner of a principal's records, `<kind>:<id>`, with `%` and `:` in the id percent-encoded: the owner and the
 * client's key are joined by `:` (the Redis record `<prefix><owner>:<key>`, the upstream key `sha256(<owner>:<key>)`),
 * so a subject `alice:b` sending `KEY-1` must not land on `alice` sending `b:KEY-1` — it did, and got alice's order
 * back (this session's security audit, L1). Ids without `%` or `:` (partner ids, the usual subjects) are written as
 * before, so records and upstream keys made before this change still match.
 */
export function ownerOf(principal: { readonly kind: string; readonly id: string }): string {
  const id = /[%:]/.test(principal.id) ? principal.id.replace(/%/g, '%25').replace(/:/g, '%3A') : principal.id;
  return `${principal.kind}:${id}`;
}
