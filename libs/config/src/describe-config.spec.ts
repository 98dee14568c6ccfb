import {
  configReportOf,
  demoDefaultsInEffect,
  describeConfig,
  plainHttpKeySources,
  type ConfigOrigin,
} from './describe-config';
import { bffSchema, mobileCursorSchema } from './frontdoor.schema';

const schema = { ...bffSchema('mobile-bff'), ...mobileCursorSchema };
const CURSOR_SECRET = 'cursor-secret-0123456789-abcdefghij-XYZ';
const UPSTREAMS = ['INVENTORY', 'HR', 'PAYROLL', 'SALES', 'CUSTOMERS'].map((n) => `UPSTREAM_${n}_URL`);
const JWT = ['JWT_JWKS_URL', 'JWT_ISSUER', 'JWT_AUDIENCE'];
/** Every variable whose default is the demo estate's, set as a real estate's would be. */
const ESTATE: Record<string, string> = {
  ...Object.fromEntries(UPSTREAMS.map((name) => [name, 'http://backend.internal:8080'])),
  JWT_JWKS_URL: 'https://id.example.com/jwks.json',
  JWT_ISSUER: 'https://id.example.com',
  JWT_AUDIENCE: 'frontdoor',
};

describe('describeConfig', () => {
  it.each<[string, Record<string, string>, string, string, ConfigOrigin]>([
    ['set', { PORT: '8080' }, 'PORT', '8080', 'env'],
    ['unset: its default', {}, 'PORT', '3002', 'default'],
    ['empty: its default', { PORT: '' }, 'PORT', '3002', 'empty → default'],
    [
      'a demo default, empty',
      { JWT_JWKS_URL: '' },
      'JWT_JWKS_URL',
      'http://127.0.0.1:4000/.well-known/jwks.json',
      'empty → default',
    ],
    ['a default that is the empty list', {}, 'TRUST_PROXY', '', 'default'],
    ['no default, unset', {}, 'TLS_CERT_FILE', 'unset', 'default'],
    [
      'a secret, set: never its value',
      { MOBILE_CURSOR_SECRET: CURSOR_SECRET },
      'MOBILE_CURSOR_SECRET',
      '***',
      'env',
    ],
    ['a secret, unset', {}, 'MOBILE_CURSOR_SECRET', 'unset', 'default'],
    ['a secret, empty', { MOBILE_CURSOR_SECRET: '' }, 'MOBILE_CURSOR_SECRET', 'unset', 'empty → default'],
    ['a secret URL, set', { REDIS_URL: 'redis://user:pw@redis:6379' }, 'REDIS_URL', '***', 'env'],
    [
      'a URL with user and password: masked',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:password@collector.example.com:4318' },
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'https://***@collector.example.com:4318',
      'env',
    ],
    [
      'a list of instances longer than a refusal echoes (60 characters): whole',
      { UPSTREAM_HR_URL: 'http://hr-1.internal:8080,http://hr-2.internal:8080,http://hr-3.internal:8080' },
      'UPSTREAM_HR_URL',
      'http://hr-1.internal:8080,http://hr-2.internal:8080,http://hr-3.internal:8080',
      'env',
    ],
    [
      'a value over 512 characters: cut after 509',
      { UPSTREAM_HR_URL: `http://hr.internal:8080/${'p'.repeat(600)}` },
      'UPSTREAM_HR_URL',
      `http://hr.internal:8080/${'p'.repeat(509 - 24)}...`,
      'env',
    ],
  ])('%s', (_label, env, name, value, from) => {
    expect(describeConfig(schema, env)[name]).toEqual({ value, from });
  });

  it('lists every variable of the schema, by name, and no secret or user-info anywhere', () => {
    const env = {
      MOBILE_CURSOR_SECRET: CURSOR_SECRET,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:password@collector.example.com:4318',
    };
    const described = describeConfig(schema, env);
    expect(Object.keys(described)).toEqual(Object.values(schema).map((variable) => variable.name));
    expect(JSON.stringify(described)).not.toMatch(/cursor-secret|password|user:/);
  });
});

describe('demoDefaultsInEffect', () => {
  it.each<[string, Record<string, string>, readonly string[]]>([
    ['production, nothing set: every demo default', { NODE_ENV: 'production' }, [...UPSTREAMS, ...JWT]],
    [
      'production, JWT_JWKS_URL empty',
      { NODE_ENV: 'production', ...ESTATE, JWT_JWKS_URL: '' },
      ['JWT_JWKS_URL'],
    ],
    ['production, every one set', { NODE_ENV: 'production', ...ESTATE }, []],
    ['not production (the demo): none', { NODE_ENV: 'development' }, []],
    ['NODE_ENV unset: none', {}, []],
  ])('%s', (_label, env, names) => {
    expect(demoDefaultsInEffect(schema, env)).toEqual(names);
  });

  it.each(['web-bff', 'mobile-bff', 'partner-bff'] as const)(
    '%s: the demo estate’s upstreams and identity provider are marked, nothing else (not CORS_ORIGINS)',
    (app) => {
      expect(demoDefaultsInEffect(bffSchema(app), { NODE_ENV: 'production' })).toEqual([
        ...UPSTREAMS,
        ...JWT,
      ]);
    },
  );
});

describe('plainHttpKeySources', () => {
  const production = (jwks: string) => ({ NODE_ENV: 'production', ...ESTATE, JWT_JWKS_URL: jwks });
  it.each<[string, Record<string, string>, readonly string[]]>([
    ['production, http to another host', production('http://id.internal:8080/jwks.json'), ['JWT_JWKS_URL']],
    [
      'production, http to an IP address of another host',
      production('http://10.0.0.12/jwks.json'),
      ['JWT_JWKS_URL'],
    ],
    ['production, HTTP in capitals', production('HTTP://id.internal/jwks.json'), ['JWT_JWKS_URL']],
    [
      'production, a host name that only starts like localhost',
      production('http://localhost.example.com/j'),
      ['JWT_JWKS_URL'],
    ],
    [
      'production, a host name that starts with 127.',
      production('http://127.example.com/j'),
      ['JWT_JWKS_URL'],
    ],
    ['production, https', production('https://id.example.com/jwks.json'), []],
    ['production, http to 127.0.0.1', production('http://127.0.0.1:4000/.well-known/jwks.json'), []],
    ['production, http to 127.8.9.10 (127.0.0.0/8)', production('http://127.8.9.10/jwks.json'), []],
    ['production, http to 127.1 (127.0.0.1)', production('http://127.1:4000/jwks.json'), []],
    ['production, http to ::1', production('http://[::1]:4000/jwks.json'), []],
    ['production, http to localhost', production('http://localhost:4000/jwks.json'), []],
    ['production, http to LOCALHOST.', production('http://LOCALHOST.:4000/jwks.json'), []],
    ['production, empty: the default (127.0.0.1, warned about as a demo default)', production(''), []],
    ['production, unset: the default', { NODE_ENV: 'production' }, []],
    ['not production, http to another host', { ...ESTATE, JWT_JWKS_URL: 'http://id.internal/jwks.json' }, []],
    ['production, not a URL (loadConfig refuses it)', production('not a url'), []],
  ])('%s', (_label, env, names) => {
    expect(plainHttpKeySources(schema, env)).toEqual(names);
  });

  it.each(['web-bff', 'mobile-bff', 'partner-bff'] as const)('%s: JWT_JWKS_URL is checked', (app) => {
    expect(plainHttpKeySources(bffSchema(app), production('http://id.internal/jwks.json'))).toEqual([
      'JWT_JWKS_URL',
    ]);
  });
});

describe('configReportOf', () => {
  it('describes the source and names its demo defaults', () => {
    const source = { NODE_ENV: 'production', ...ESTATE, JWT_ISSUER: '' };
    expect(configReportOf(schema, source)).toEqual({
      configuration: describeConfig(schema, source),
      demoDefaults: ['JWT_ISSUER'],
      plainHttpKeySources: [],
    });
  });

  it('names a key source fetched over plain http', () => {
    const source = { NODE_ENV: 'production', ...ESTATE, JWT_JWKS_URL: 'http://id.internal/jwks.json' };
    expect(configReportOf(schema, source)).toMatchObject({
      demoDefaults: [],
      plainHttpKeySources: ['JWT_JWKS_URL'],
    });
  });
});
