import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemError } from '@frontdoor/errors';
import { principalOf } from '@frontdoor/rbac';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { firstValueFrom, from, type Observable } from 'rxjs';
import { fingerprintOf } from './fingerprint';
import { IDEMPOTENT_KEY } from './idempotent.decorator';
import type { IdempotencyStore, StoredAnswer } from './idempotency.store';

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');
export const IDEMPOTENCY_SETTINGS = Symbol('IDEMPOTENCY_SETTINGS');

export interface IdempotencySettings {
  /** How long an answer is replayed (default 24 h). */
  readonly ttlMs: number;
  /** How long a duplicate waits for the first attempt to finish before answering 409 (default 5 s). */
  readonly waitMs: number;
}

const KEY_FORMAT = /^[\x21-\x7e]{8,255}$/;

/**
 * Runs `@Idempotent()` routes at most once per (principal, Idempotency-Key). Records are scoped by principal, so
 * one partner can never replay — or learn about — another's answers. Only successful answers are stored; a
 * failed first attempt frees the key so that the client's retry runs.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    @Inject(IDEMPOTENCY_SETTINGS) private readonly settings: IdempotencySettings,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.reflector.get<boolean>(IDEMPOTENT_KEY, context.getHandler())) return next.handle();
    return from(this.run(context, next));
  }

  private async run(context: ExecutionContext, next: CallHandler): Promise<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const given = request.headers['idempotency-key'];
    if (typeof given !== 'string' || !KEY_FORMAT.test(given)) {
      throw new ProblemError('bad-request', 'This route requires an Idempotency-Key header of 8 to 255 visible ASCII characters.');
    }
    const key = `${principalOf(request).kind}:${principalOf(request).id}:${given}`;
    const fingerprint = fingerprintOf(request.method, request.routeOptions.url ?? request.url, request.body);
    const status = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? 201 : 200);

    const outcome = await this.claim(key, fingerprint);
    if (outcome) return this.replay(reply, outcome);
    try {
      const body = await firstValueFrom(next.handle(), { defaultValue: undefined });
      await this.store.complete(key, fingerprint, { status, body }, this.settings.ttlMs);
      return body;
    } catch (error) {
      await this.store.abandon(key).catch(() => undefined);
      throw error;
    }
  }

  /** Undefined when this request won the key; otherwise the stored answer to replay. */
  private async claim(key: string, fingerprint: string): Promise<StoredAnswer | undefined> {
    const deadline = Date.now() + this.settings.waitMs;
    for (;;) {
      const outcome = await this.store.begin(key, fingerprint, this.settings.ttlMs).catch((cause: unknown) => {
        throw new ProblemError('service-unavailable', 'Idempotency records are unavailable; retry later.', { headers: { 'Retry-After': '1' }, cause });
      });
      if (outcome.kind === 'started') return undefined;
      if (outcome.kind === 'replay') return outcome.answer;
      if (outcome.kind === 'mismatch') {
        throw new ProblemError('unprocessable-content', 'This Idempotency-Key was already used with a different request body.');
      }
      if (Date.now() >= deadline) {
        throw new ProblemError('conflict', 'A request with this Idempotency-Key is still in progress.', { headers: { 'Retry-After': '1' } });
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** The stored status is the route's own success status, which Nest sets again after the handler. */
  private replay(reply: FastifyReply, answer: StoredAnswer): unknown {
    reply.header('Idempotent-Replayed', 'true');
    reply.status(answer.status);
    return answer.body;
  }
}
