import { Inject, Injectable, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { observeRedisConnections, type RedisTransition } from '@frontdoor/redis';
import { UpstreamRegistry, type BreakerTransition } from '@frontdoor/upstream';
import type { Logger } from 'pino';

/** What the transition lines need of the app's pino logger. */
export type TransitionLogger = Pick<Logger, 'info' | 'warn'>;

/**
 * One line per change of an upstream's circuit: opened (warn, with why: consecutive failures or a failed trial, and
 * the last failure as an outcome, never a message or a host), half-open and closed (info).
 */
export function logBreakerTransition(logger: TransitionLogger, transition: BreakerTransition): void {
  const { upstream } = transition;
  if (transition.state !== 'open') {
    const what =
      transition.state === 'half-open'
        ? 'half-open: one trial call let through'
        : 'closed: the trial call succeeded';
    logger.info({ upstream, circuit: transition.state }, `upstream ${upstream} circuit ${what}`);
    return;
  }
  const { after, failures, lastFailure, status, halfOpenAfterMs } = transition;
  const last = status === undefined ? lastFailure : `${lastFailure} ${status}`;
  const why =
    after === 'trial'
      ? `opened again: the half-open trial call failed (${last})`
      : `opened after ${failures} consecutive failures (last: ${last})`;
  logger.warn(
    { upstream, circuit: 'open', after, failures, lastFailure, status, halfOpenAfterMs },
    `upstream ${upstream} circuit ${why}; calls fail fast for ${halfOpenAfterMs / 1000} s`,
  );
}

/** One line per change of a Redis connection: down (warn, with the socket error's code) and back (info). */
export function logRedisTransition(logger: TransitionLogger, transition: RedisTransition): void {
  const { connection } = transition;
  if (transition.state === 'ready') {
    logger.info({ redis: connection, state: 'ready' }, `redis connection ${connection} is back`);
    return;
  }
  logger.warn(
    { redis: connection, state: 'down', cause: transition.cause },
    `redis connection ${connection} is down (${transition.cause}); reconnecting in the background`,
  );
}

/**
 * Writes the state changes of the gateway's own dependencies to the app's log, with the app's pino logger (the one
 * the Fastify instance logs with): each upstream's circuit (of the app's `UpstreamRegistry`, when it has one) and
 * every Redis connection. One line per change, never per request; nothing on the request path.
 */
@Injectable()
export class DependencyLog implements OnModuleInit, OnApplicationShutdown {
  private stopRedis: (() => void) | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Optional() @Inject(UpstreamRegistry) private readonly upstreams?: UpstreamRegistry,
  ) {}

  onModuleInit(): void {
    const logger = this.adapterHost.httpAdapter?.getInstance<{ log?: TransitionLogger }>()?.log;
    if (logger === undefined) return;
    for (const client of this.upstreams?.all() ?? [])
      client.onBreakerTransition((t) => logBreakerTransition(logger, t));
    this.stopRedis = observeRedisConnections((t) => logRedisTransition(logger, t));
  }

  onApplicationShutdown(): void {
    this.stopRedis?.();
  }
}
