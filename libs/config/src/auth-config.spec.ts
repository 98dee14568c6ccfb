import { ConfigError, loadConfig } from './load-config';
import { bffSchema, partnerKeysSchema } from './frontdoor.schema';

/** The identity and access variables (issue 3): defaults and refusals. */
describe('identity and access configuration', () => {
  const partner = { ...bffSchema('partner-bff'), ...partnerKeysSchema };

  it('has working defaults', () => {
    const config = loadConfig(partner, {});
    expect(config.jwksCooldownMs).toBe(10_000);
    expect(config.gatewaySigningKeyFile).toBeUndefined();
    expect(config.partnerKeysFile).toBe('var/partner-keys.json');
    expect(config.clockSkewS).toBe(30);
    expect(config.maxLifetimeS).toBe(86_400);
  });

  it('reads what an operator sets', () => {
    const config = loadConfig(partner, { GATEWAY_SIGNING_KEY_FILE: '/etc/frontdoor/gw.pem', PARTNER_KEYS_FILE: '/srv/keys.json', JWT_JWKS_COOLDOWN_MS: '500' });
    expect(config).toMatchObject({ gatewaySigningKeyFile: '/etc/frontdoor/gw.pem', partnerKeysFile: '/srv/keys.json', jwksCooldownMs: 500 });
  });

  it.each([
    [{ JWT_JWKS_COOLDOWN_MS: '0' }, 'JWT_JWKS_COOLDOWN_MS must be a duration in milliseconds from 1 to 3600000 (got "0")'],
    [{ PARTNER_KEYS_FILE: 'a\u0000b' }, 'PARTNER_KEYS_FILE must be a file path (got "a\\u0000b")'],
    [{ GATEWAY_SIGNING_KEY_FILE: 'x'.repeat(5000) }, 'GATEWAY_SIGNING_KEY_FILE must be a file path'],
  ])('refuses %j', (env, message) => {
    let problems: readonly string[] = [];
    try {
      loadConfig(partner, env);
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems[0]).toContain(message);
  });
});
