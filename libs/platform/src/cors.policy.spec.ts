import { corsOptionsOf, isAllowedOrigin } from './cors.policy';

const allowed: ReadonlySet<string> = new Set(['http://localhost:4200', 'https://app.example.com']);

describe('isAllowedOrigin (exact match against a set built once)', () => {
  it.each([
    ['a listed origin', 'http://localhost:4200', true],
    ['another listed origin', 'https://app.example.com', true],
    ['an unknown origin', 'https://evil.example', false],
    ['the opaque origin null', 'null', false],
    ['no Origin header', undefined, false],
    ['a lookalike with a suffix', 'http://localhost:4200.evil.com', false],
    ['a lookalike with a prefix', 'http://evil-localhost:4200', false],
    ['a subdomain of a listed host', 'https://x.app.example.com', false],
    ['the wrong scheme', 'https://localhost:4200', false],
    ['the wrong port', 'http://localhost:4201', false],
    ['the default port written out', 'https://app.example.com:443', false],
    ['a trailing slash', 'http://localhost:4200/', false],
    ['other letter case', 'HTTP://LOCALHOST:4200', false],
    ['a wildcard', '*', false],
    ['an empty Origin', '', false],
  ])('%s (%j) → %s', (_label, origin, expected) => {
    expect(isAllowedOrigin(allowed, origin)).toBe(expected);
  });

  it('never allows null, even when a list names it', () => {
    expect(isAllowedOrigin(new Set(['null']), 'null')).toBe(false);
  });
});

describe('corsOptionsOf', () => {
  const options = corsOptionsOf({
    origins: ['http://localhost:4200'],
    methods: ['GET', 'POST'],
    allowedHeaders: ['Authorization'],
    exposedHeaders: ['X-Request-Id'],
    maxAgeS: 600,
  }) as { origin: (o: string | undefined, cb: (e: Error | null, allow: boolean) => void) => void; credentials: boolean; hook: string };

  it.each([
    ['http://localhost:4200', true],
    ['http://localhost:4200.evil.com', false],
    ['null', false],
    [undefined, false],
  ])('decides %j → %s (never a reflected arbitrary origin)', (origin, expected) => {
    let decided: boolean | undefined;
    options.origin(origin, (_error, allow) => (decided = allow));
    expect(decided).toBe(expected);
  });

  it('allows credentials and runs after the door hooks, before any guard', () => {
    expect(options.credentials).toBe(true);
    expect(options.hook).toBe('preParsing');
  });
});
