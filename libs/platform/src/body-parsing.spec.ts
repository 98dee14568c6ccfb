import { Body, Controller, Post } from '@nestjs/common';
import { IsString } from 'class-validator';
import { Public } from '@frontdoor/rbac';
import { rawRequest } from '@frontdoor/testing';
import { listenApp, observedModule } from './testing/listen-app';

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

describe('request body parsing', () => {
  let base: string;
  let close: () => Promise<void>;
  beforeAll(async () => ({ url: base, close } = await listenApp(observedModule([EchoController]), { server: { bodyLimitBytes: 512 * 1024 } })));
  afterAll(() => close());

  const post = (contentType: string, body: string) => rawRequest(base, '/echo', { method: 'POST', headers: { 'content-type': contentType }, body });

  it('parses JSON bodies for DTO validation', async () => {
    const res = await post('application/json; charset=utf-8', '{"name":"kettle"}');
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ name: 'kettle' });
  });

  it.each([
    ['a 20,000-deep body (would overflow class-transformer)', 'application/json', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, 400, /nested more than 32/],
    ['a 40-deep object', 'application/json', `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`, 400, /nested more than 32/],
    ['a __proto__ key', 'application/json', '{"name":"x","__proto__":{"admin":true}}', 400, /reserved key/],
    ['malformed JSON', 'application/json', '{"name":', 400, /not valid JSON/],
    ['a form body (no route takes them)', 'application/x-www-form-urlencoded', 'name=kettle', 415, /media type/],
    ['an unvalidated shape', 'application/json', '{"name":5}', 400, /invalid fields/],
  ])('%s → a problem', async (_label, contentType, body, status, detail) => {
    const res = await post(contentType, body);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body).detail).toMatch(detail);
  });
});
