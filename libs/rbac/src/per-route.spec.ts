import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { PUBLIC_KEY, Public } from './access.decorators';
import { PerRoute } from './per-route';

class Base {
  list(): string {
    return 'list';
  }
  other(): string {
    return 'other';
  }
}
class OpenController extends Base {}
class ClosedController extends Base {}
Public()(OpenController);

const contextOf = (controller: typeof Base, handler: 'list' | 'other') =>
  new ExecutionContextHost([], controller, controller.prototype[handler]);

describe('PerRoute', () => {
  it('derives once per (controller, handler), also where two controllers share one inherited handler', () => {
    const reflector = new Reflector();
    let derivations = 0;
    const isPublic = new PerRoute((handler, controller) => {
      derivations++;
      return reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, [handler, controller]) === true;
    });
    const table: [typeof Base, 'list' | 'other', boolean][] = [
      [OpenController, 'list', true],
      [ClosedController, 'list', false],
      [OpenController, 'other', true],
      [ClosedController, 'other', false],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [controller, handler, expected] of table) expect(isPublic.of(contextOf(controller, handler))).toBe(expected);
    }
    expect(derivations).toBe(table.length);
  });

  it('remembers a derived undefined too', () => {
    let derivations = 0;
    const nothing = new PerRoute(() => (derivations++, undefined));
    nothing.of(contextOf(OpenController, 'list'));
    nothing.of(contextOf(OpenController, 'list'));
    expect(derivations).toBe(1);
  });
});
