import { Reflector } from '@nestjs/core';
import { PUBLIC_KEY, Public, ROLES_KEY, Roles } from './access.decorators';
import { ANONYMOUS, principalOf } from './principal';
import type { FastifyRequest } from 'fastify';

class Target {
  @Roles('finance', 'admin')
  salary(): string {
    return 'salary';
  }

  @Public()
  health(): string {
    return 'health';
  }

  undeclared(): string {
    return 'undeclared';
  }
}

describe('access metadata', () => {
  const reflector = new Reflector();
  it.each([
    ['salary', ['finance', 'admin'], undefined],
    ['health', undefined, true],
    ['undeclared', undefined, undefined],
  ] as const)('%s declares roles %j, public %s', (method, roles, isPublic) => {
    const handler = Target.prototype[method];
    expect(reflector.get(ROLES_KEY, handler)).toEqual(roles);
    expect(reflector.get(PUBLIC_KEY, handler)).toBe(isPublic);
  });

  it('a request no guard authenticated is anonymous with no roles', () => {
    expect(principalOf({} as FastifyRequest)).toBe(ANONYMOUS);
    expect(ANONYMOUS.roles).toEqual([]);
  });
});
