import { ConfigError, loadConfig } from '@frontdoor/config';
import { demoTrustSchema } from './demo-trust.config';

describe('DEMO_TRUSTED_GATEWAYS', () => {
  it.each([
    [{}, ['http://127.0.0.1:3001/.well-known/jwks.json', 'http://127.0.0.1:3002/.well-known/jwks.json', 'http://127.0.0.1:3003/.well-known/jwks.json']],
    [{ DEMO_TRUSTED_GATEWAYS: 'none' }, []],
    [{ DEMO_TRUSTED_GATEWAYS: 'http://10.0.0.5:3001/.well-known/jwks.json' }, ['http://10.0.0.5:3001/.well-known/jwks.json']],
  ])('reads %j as %j', (env, urls) => {
    expect(loadConfig(demoTrustSchema, env).trustedGatewayJwks).toEqual(urls);
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => loadConfig(demoTrustSchema, { DEMO_TRUSTED_GATEWAYS: 'ftp://x' })).toThrow(ConfigError);
    expect(() => loadConfig(demoTrustSchema, { DEMO_TRUSTED_GATEWAYS: 'ftp://x' })).toThrow('DEMO_TRUSTED_GATEWAYS must be none or');
  });
});
