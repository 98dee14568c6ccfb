// The typings of the two untyped packages must reach every program that compiles this file, the apps' included.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./passport.d.ts" />
import { PassportStrategy } from '@nestjs/passport';
import type { Principal } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import passport from 'passport';
import { Strategy as CustomStrategy } from 'passport-custom';

let sequence = 0;

/** A passport strategy registered under a name unique to one app instance; `unregister` removes it again. */
export interface RegisteredStrategy {
  readonly name: string;
  unregister(): void;
}

/**
 * Registers a `passport-custom` strategy (via `@nestjs/passport`'s `PassportStrategy`) whose verify step is
 * `validate`: it returns the principal or throws the problem to answer. Passport keeps strategies in one
 * process-wide registry, so each app instance gets its own name (`frontdoor-bearer-3`): two apps in one process
 * (tests, benchmarks) never verify with each other's keys or stores.
 */
export function registerStrategy(prefix: string, validate: (request: FastifyRequest) => Promise<Principal>): RegisteredStrategy {
  sequence += 1;
  const name = `${prefix}-${sequence}`;
  class FrontdoorStrategy extends PassportStrategy(CustomStrategy, name) {
    validate(request: FastifyRequest): Promise<Principal> {
      return validate(request);
    }
  }
  new FrontdoorStrategy();
  return { name, unregister: () => void passport.unuse(name) };
}
