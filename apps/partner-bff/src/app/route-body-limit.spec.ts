import 'reflect-metadata';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { XmlRoot } from '@frontdoor/rbac';
import Fastify, { type FastifyInstance } from 'fastify';
import { BodyLimit, installRouteBodyLimits } from './route-body-limit';

describe('BodyLimit', () => {
  it('adds the limit to the route config the other decorators fill, in either order', () => {
    class Orders {
      @BodyLimit(1024)
      @XmlRoot('order')
      first(): string {
        return 'first';
      }

      @XmlRoot('order')
      @BodyLimit(2048)
      second(): string {
        return 'second';
      }
    }
    const configOf = (handler: unknown) =>
      Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler as object) as unknown;
    expect(configOf(Orders.prototype.first)).toEqual({ xmlRoot: 'order', bodyLimit: 1024 });
    expect(configOf(Orders.prototype.second)).toEqual({ xmlRoot: 'order', bodyLimit: 2048 });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses %s bytes at start', (bytes) => {
    expect(() => BodyLimit(bytes)).not.toThrow();
    expect(() => BodyLimit(bytes)({}, 'm', { value: () => undefined })).toThrow(RangeError);
  });
});

describe('installRouteBodyLimits', () => {
  const post = async (app: FastifyInstance, url: string, bytes: number) => {
    const payload = JSON.stringify({ x: 'x'.repeat(bytes - 8) }); // {"x":"…"}: 8 bytes around the text
    const res = await app.inject({
      method: 'POST',
      url,
      payload,
      headers: { 'content-type': 'application/json' },
    });
    return res.statusCode;
  };

  it('gives a route with config.bodyLimit that limit, and leaves the others at the server’s', async () => {
    const app = Fastify({ bodyLimit: 4096 });
    installRouteBodyLimits(app);
    app.post('/small', { config: { bodyLimit: 16 } }, async () => ({ ok: true }));
    app.post('/other', async () => ({ ok: true }));
    try {
      const statuses = [
        await post(app, '/small', 16),
        await post(app, '/small', 17),
        await post(app, '/other', 17),
      ];
      expect([...statuses, await post(app, '/other', 4097)]).toEqual([200, 413, 200, 413]);
    } finally {
      await app.close();
    }
  });

  it('never raises the server’s limit: a smaller BODY_LIMIT_BYTES holds on the route too', async () => {
    const app = Fastify({ bodyLimit: 32 });
    installRouteBodyLimits(app);
    app.post('/orders', { config: { bodyLimit: 64 } }, async () => ({ ok: true }));
    try {
      expect([await post(app, '/orders', 32), await post(app, '/orders', 33)]).toEqual([200, 413]);
    } finally {
      await app.close();
    }
  });
});
