import { Body, Controller, Module, Post, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { IsString } from 'class-validator';
import { ProblemError } from '@frontdoor/errors';
import { Public } from '@frontdoor/rbac';
import { rawRequest } from '@frontdoor/testing';
import type { FastifyRequest } from 'fastify';
import { gzipSync } from 'node:zlib';
import { listenApp, observedModule } from './testing/listen-app';
import { AcceptsXmlBody } from './xml-body.parser';

class EchoBody {
  @IsString()
  name: string;
}

@Public()
@Controller('echo')
class EchoController {
  @Post()
  echo(@Body() body: EchoBody): { name: string } {
    return { name: body.name };
  }
}

/** Stands in for the app's authentication guard (an APP_GUARD, like the apps'): /private needs `x-let-in`. */
class LetInGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.url.startsWith('/private') && request.headers['x-let-in'] === undefined) throw new ProblemError('unauthorized', 'Authentication is required.');
    return true;
  }
}

/** Takes XML bodies too (as partner orders do); /echo takes JSON only. */
@Controller('private')
class PrivateController {
  @AcceptsXmlBody()
  @Post()
  echo(@Body() body: EchoBody): { name: string } {
    return { name: body.name };
  }
}

@Module({ imports: [observedModule([EchoController, PrivateController])], providers: [{ provide: APP_GUARD, useClass: LetInGuard }] })
class BodyTestModule {}

describe('request body parsing', () => {
  let base: string;
  let close: () => Promise<void>;
  beforeAll(async () => ({ url: base, close } = await listenApp(BodyTestModule, { server: { bodyLimitBytes: 512 * 1024 } })));
  afterAll(() => close());

  const post = (contentType: string, body: string) => rawRequest(base, '/echo', { method: 'POST', headers: { 'content-type': contentType }, body });

  it.each([['application/json; charset=utf-8'], ['application/json;charset="UTF-8"'], ['application/json; charset=us-ascii'], ['application/json']])(
    'parses JSON bodies (%s) for DTO validation',
    async (type) => {
      const res = await post(type, '{"name":"kettle"}');
      expect(res.status).toBe(201);
      expect(JSON.parse(res.body)).toEqual({ name: 'kettle' });
    },
  );

  it.each([
    ['a 20,000-deep body (would overflow class-transformer)', 'application/json', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, 400, /nested more than 32/],
    ['a 40-deep object', 'application/json', `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`, 400, /nested more than 32/],
    ['a __proto__ key', 'application/json', '{"name":"x","__proto__":{"admin":true}}', 400, /reserved key/],
    ['malformed JSON', 'application/json', '{"name":', 400, /not valid JSON/],
    ['a form body (no route takes them)', 'application/x-www-form-urlencoded', 'name=kettle', 415, /media type/],
    ['an unvalidated shape', 'application/json', '{"name":5}', 400, /invalid fields/],
    ['JSON declared UTF-16 (RFC 8259: JSON is UTF-8)', 'application/json; charset=utf-16', '{"name":"kettle"}', 415, /unsupported charset/],
    ['JSON declared Latin-1', 'application/json; foo=bar; charset="ISO-8859-1"', '{"name":"kettle"}', 415, /unsupported charset/],
  ])('%s → a problem', async (_label, contentType, body, status, detail) => {
    const res = await post(contentType, body);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body).detail).toMatch(detail);
  });

  describe('only once the guards let the request in', () => {
    const postPrivate = (contentType: string, body: string | Buffer, headers: Record<string, string> = {}) =>
      rawRequest(base, '/private', { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
    const gzipped = gzipSync('{"name":"kettle"}');
    const notUtf8 = Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]); // {"n":"\xff\xfe"}

    it.each([
      ['a gzip body', gzipped, { 'content-encoding': 'gzip' }],
      ['a body that is not UTF-8', notUtf8, {}],
    ])('%s from a client the guards refuse is that refusal (401): its bytes are not read as text first', async (_label, body, headers) => {
      const res = await postPrivate('application/json', body, headers);
      expect([res.status, JSON.parse(res.body).type]).toEqual([401, 'urn:frontdoor:problem:unauthorized']);
    });

    it('a gzip body from a client the guards let in is a 415 naming identity (was a 400 before any guard)', async () => {
      const res = await postPrivate('application/json', gzipped, { 'x-let-in': '1', 'content-encoding': 'gzip' });
      expect([res.status, res.headers['accept-encoding']]).toEqual([415, 'identity']);
    });

    it('a JSON body that is not UTF-8, let in, is a 400 saying so (never decoded with replacement characters)', async () => {
      const res = await postPrivate('application/json', notUtf8, { 'x-let-in': '1' });
      expect([res.status, JSON.parse(res.body).detail]).toEqual([400, 'The request body is not valid UTF-8.']);
    });

    it('a body that is not UTF-8 to a path nothing serves is a 404, not a body problem', async () => {
      const res = await rawRequest(base, '/nope', { method: 'POST', headers: { 'content-type': 'application/json' }, body: notUtf8 });
      expect(res.status).toBe(404);
    });

    it.each([
      ['well-formed XML', '<echo><name>kettle</name></echo>'],
      ['JSON labelled XML', '{"name":"kettle"}'],
      ['malformed XML', '<echo><name>kettle</echo>'],
    ])('%s to a route taking JSON only is a 415 (whatever the bytes: they are not decoded)', async (_label, body) => {
      const res = await rawRequest(base, '/echo', { method: 'POST', headers: { 'content-type': 'application/xml' }, body });
      expect([res.status, JSON.parse(res.body).type]).toEqual([415, 'urn:frontdoor:problem:unsupported-media-type']);
    });

    it.each([
      ['malformed JSON', 'application/json', '{"name":'],
      ['a 20,000-deep body', 'application/json', `${'['.repeat(20_000)}${']'.repeat(20_000)}`],
      ['a __proto__ key', 'application/json', '{"__proto__":{"admin":true}}'],
      ['malformed XML', 'application/xml', '<order><a>1</order>'],
      ['a form body', 'application/x-www-form-urlencoded', 'name=kettle'],
      ['a multipart body', 'multipart/form-data; boundary=x', '--x\r\n\r\nkettle\r\n--x--'],
      ['a text body', 'text/plain', 'kettle'],
    ])('%s from a client the guards refuse is that refusal (401), never a body problem: nothing was decoded', async (_label, contentType, body) => {
      const res = await postPrivate(contentType, body);
      expect([res.status, JSON.parse(res.body).type]).toEqual([401, 'urn:frontdoor:problem:unauthorized']);
    });

    it.each([
      ['malformed JSON', 'application/json', '{"name":', 400, /not valid JSON/],
      ['a 40-deep object', 'application/json', `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`, 400, /nested more than 32/],
      ['malformed XML', 'application/xml', '<order><a>1</order>', 400, /not well-formed XML/],
      ['a form body', 'application/x-www-form-urlencoded', 'name=kettle', 415, /media type/],
      ['a text body', 'text/plain', 'kettle', 415, /media type/],
    ])('%s from a client the guards let in is the body problem', async (_label, contentType, body, status, detail) => {
      const res = await postPrivate(contentType, body, { 'x-let-in': '1' });
      expect(res.status).toBe(status);
      expect(JSON.parse(res.body).detail).toMatch(detail);
    });

    it.each([['gzip'], ['br'], ['identity, br'], ['x-unknown']])(
      'a body with Content-Encoding %s is a 415 naming identity in Accept-Encoding (RFC 9110 §15.5.16), never read as if plain',
      async (coding) => {
        const res = await postPrivate('application/json', '{"name":"kettle"}', { 'x-let-in': '1', 'content-encoding': coding });
        expect([res.status, JSON.parse(res.body).type, res.headers['accept-encoding']]).toEqual([415, 'urn:frontdoor:problem:unsupported-media-type', 'identity']);
      },
    );

    it('a body with Content-Encoding from a client the guards refuse is still that refusal (401)', async () => {
      const res = await postPrivate('application/json', '{"name":"kettle"}', { 'content-encoding': 'gzip' });
      expect(res.status).toBe(401);
    });

    it.each([['identity'], ['IDENTITY']])('Content-Encoding %s is the body as it is', async (coding) => {
      const res = await postPrivate('application/json', '{"name":"kettle"}', { 'x-let-in': '1', 'content-encoding': coding });
      expect([res.status, JSON.parse(res.body)]).toEqual([201, { name: 'kettle' }]);
    });

    it('a well-formed body reaches the DTO and the handler decoded', async () => {
      const res = await postPrivate('application/json', '{"name":"kettle"}', { 'x-let-in': '1' });
      expect([res.status, JSON.parse(res.body)]).toEqual([201, { name: 'kettle' }]);
    });
  });
});
