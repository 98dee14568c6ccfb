import { ConfigError, configProblem, loadConfig } from './load-config';
import { bffSchema } from './frontdoor.schema';

const schema = bffSchema('web-bff');

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('gives every variable its PRODUCT.md default', () => {
    const config = loadConfig(schema, {});
    expect(config.port).toBe(3001);
    expect(config.host).toBe('127.0.0.1');
    expect(config.hrUrls.map(String)).toEqual(['http://127.0.0.1:4002/']);
    expect(config.redisUrl).toBeUndefined();
    expect(config.trustProxy).toEqual([]);
    expect(config.corsOrigins).toEqual(['http://localhost:4200']);
    expect(config.routeDeadlineMs).toBe(3000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('parses lists', () => {
    const config = loadConfig(schema, {
      UPSTREAM_INVENTORY_URL: 'http://10.0.0.1:80, http://10.0.0.2:80',
      TRUST_PROXY: '10.0.0.0/8,::1',
    });
    expect(config.inventoryUrls).toHaveLength(2);
    expect(config.trustProxy).toEqual([
      { address: '10.0.0.0', prefix: 8, family: 'ipv4' },
      { address: '::1', prefix: 128, family: 'ipv6' },
    ]);
  });

  it.each([
    [{ PORT: 'abc' }, ['PORT must be a TCP port number from 0 to 65535 (got "abc")']],
    [{ PORT: '70000' }, ['PORT must be a TCP port number from 0 to 65535 (got "70000")']],
    [{ PORT: '-1' }, ['PORT must be a TCP port number from 0 to 65535 (got "-1")']],
    [
      { UPSTREAM_HR_URL: 'notaurl' },
      ['UPSTREAM_HR_URL must be a comma-separated list of http:// or https:// base URLs without query or fragment (got "notaurl")'],
    ],
    [
      { UPSTREAM_PAYROLL_URL: 'ftp://x' },
      ['UPSTREAM_PAYROLL_URL must be a comma-separated list of http:// or https:// base URLs without query or fragment (got "ftp://x")'],
    ],
    [
      { UPSTREAM_SALES_URL: 'http://a,,http://b' },
      ['UPSTREAM_SALES_URL must be a comma-separated list of http:// or https:// base URLs without query or fragment (got "http://a,,http://b")'],
    ],
    [{ LOG_LEVEL: 'loud' }, ['LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")']],
    [{ TRUST_PROXY: '10.0.0.0/33' }, ['TRUST_PROXY must be a comma-separated list of CIDR blocks (e.g. 10.0.0.0/8, ::1/128) (got "10.0.0.0/33")']],
    [{ IP_DENY: 'evil' }, ['IP_DENY must be a comma-separated list of CIDR blocks (e.g. 10.0.0.0/8, ::1/128) (got "evil")']],
    [{ REDIS_URL: 'http://user:secret@redis' }, ['REDIS_URL must be a redis:// or rediss:// URL']],
    [{ JWT_JWKS_URL: 'nope' }, ['JWT_JWKS_URL must be an http:// or https:// URL (got "nope")']],
    [
      { CORS_ORIGINS: 'http://localhost:4200/app' },
      ['CORS_ORIGINS must be a comma-separated list of origins like https://app.example.com (scheme, host and optional port only) (got "http://localhost:4200/app")'],
    ],
    [{ ROUTE_DEADLINE_MS: '0' }, ['ROUTE_DEADLINE_MS must be a duration in milliseconds from 1 to 120000 (got "0")']],
    // before: taken, then the listen failed (getaddrinfo ENOTFOUND) with exit 1 and no variable named
    [{ HOST: '999.1.1.1' }, ['HOST must be an IP address or a host name (got "999.1.1.1")']],
    // before: taken, then Fastify refused a bodyLimit of 0 with exit 1 and no variable named
    [{ BODY_LIMIT_BYTES: '0' }, ['BODY_LIMIT_BYTES must be an integer from 1 to 67108864 (got "0")']],
    [
      { PORT: 'abc', UPSTREAM_HR_URL: 'notaurl' },
      [
        'PORT must be a TCP port number from 0 to 65535 (got "abc")',
        'UPSTREAM_HR_URL must be a comma-separated list of http:// or https:// base URLs without query or fragment (got "notaurl")',
      ],
    ],
  ])('%j is refused with exactly %j', (env, expected) => {
    expect(problemsOf(env)).toEqual(expected);
  });

  it.each([
    '127.0.0.1',
    '0.0.0.0',
    '::',
    '::1',
    'localhost',
    'gw-1.internal',
    'frontdoor.example.com.',
    '3com.example',
    '1.2.3.example',
  ])('takes HOST %j', (value) => {
    expect(loadConfig(schema, { HOST: value }).host).toBe(value);
  });

  // a last label that is a number makes the name an IPv4 address (in inet_aton's forms too): only a valid one is taken
  it.each([
    '999.1.1.1',
    '256.0.0.1',
    '1.2.3.4.5',
    '127.1',
    '10',
    '010.0.0.1',
    '0x7f.0.0.1',
    'gw.0x1f',
    '-gw.example',
    'gw-.example',
    'gw..example',
    `${'a'.repeat(64)}.example`,
    '[::1]',
    'gw_1.example',
  ])('refuses HOST %j', (value) => {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    expect(problemsOf({ HOST: value })).toEqual([
      `HOST must be an IP address or a host name (got ${JSON.stringify(shown)})`,
    ]);
  });

  it('takes a KEEP_ALIVE_TIMEOUT_MS above a cloud load balancer\'s 600 s idle timeout (620 s), up to an hour', () => {
    expect(loadConfig(schema, { KEEP_ALIVE_TIMEOUT_MS: '620000' }).keepAliveTimeoutMs).toBe(620_000);
    expect(problemsOf({ KEEP_ALIVE_TIMEOUT_MS: '3600001' })).toEqual([
      'KEEP_ALIVE_TIMEOUT_MS must be a duration in milliseconds from 1 to 3600000 (got "3600001")',
    ]);
  });

  it('takes BODY_LIMIT_BYTES from 1 byte, and a TRUST_PROXY that trusts every address (/0)', () => {
    const config = loadConfig(schema, { BODY_LIMIT_BYTES: '1', TRUST_PROXY: '0.0.0.0/0, ::/0' });
    expect(config.bodyLimitBytes).toBe(1);
    expect(config.trustProxy).toEqual([
      { address: '0.0.0.0', prefix: 0, family: 'ipv4' },
      { address: '::', prefix: 0, family: 'ipv6' },
    ]);
  });

  it.each([
    [
      'TLS_KEY_FILE',
      'must hold a PEM private key',
      '/etc/tls/key.pem',
      'TLS_KEY_FILE must hold a PEM private key (got "/etc/tls/key.pem")',
    ],
    ['HOST', 'must be an address of this machine', undefined, 'HOST must be an address of this machine'],
    ['X', 'must be short', `/${'p'.repeat(80)}`, `X must be short (got "/${'p'.repeat(56)}...")`],
    ['X', 'must be reachable', 'http://svc:s3cr3t@idp', 'X must be reachable (got "http://***@idp")'],
  ])(
    'configProblem words a start-up check as loadConfig words its own: %s %s',
    (name, problem, value, line) => {
      expect(configProblem(name, problem, value)).toBe(line);
    },
  );

  it.each([
    ['/healthz', '/healthz'],
    [' /actuator/health?probe=1 ', '/actuator/health?probe=1'],
  ])('takes %j as a health path', (value, path) => {
    expect(loadConfig(schema, { UPSTREAM_HR_HEALTH_PATH: value }).hrHealthPath).toBe(path);
    expect(loadConfig(schema, {}).payrollHealthPath).toBe('/health');
  });

  it.each(['health', '//evil.example/health', '/health#x', '/he alth', `/${'a'.repeat(300)}`])('refuses %j as a health path', (value) => {
    expect(problemsOf({ UPSTREAM_HR_HEALTH_PATH: value })[0]).toMatch(/^UPSTREAM_HR_HEALTH_PATH must be a path starting with \//);
  });

  it('never echoes a secret value', () => {
    const [problem] = problemsOf({ REDIS_URL: 'http://user:secret@redis' });
    expect(problem).not.toContain('secret');
  });

  it.each([
    ['UPSTREAM_HR_URL', 'http://svc:s3cr3tP4ss@hr.internal:8080'],
    ['UPSTREAM_HR_URL', 'http://hr-1.internal,https://svc:s3cr3tP4ss@hr-2.internal'],
    ['JWT_JWKS_URL', 'https://svc:s3cr3tP4ss@idp.internal/jwks.json'],
  ])('refuses credentials in %s without echoing them', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name} must be`));
    expect(problems[0]).not.toMatch(/s3cr3tP4ss|svc:/);
    expect(problems[0]).toContain('://***@');
  });
});
