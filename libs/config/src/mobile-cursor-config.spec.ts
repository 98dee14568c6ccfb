import { ConfigError, loadConfig } from './load-config';
import { bffSchema } from './frontdoor.schema';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(bffSchema('mobile-bff'), env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('MOBILE_CURSOR_SECRET (mobile-bff only)', () => {
  it('is unset by default (a random key at start) and read when set', () => {
    expect(loadConfig(bffSchema('mobile-bff'), {}).mobileCursorSecret).toBeUndefined();
    const secret = 'k'.repeat(16) + '!~#%&*()[]{}<>?/';
    expect(loadConfig(bffSchema('mobile-bff'), { MOBILE_CURSOR_SECRET: secret }).mobileCursorSecret).toBe(secret);
  });

  it.each([['too-short-secret'], ['with a space in the middle of it, long enough.'], ['é'.repeat(40)]])('refuses %j without echoing it', (value) => {
    const problems = problemsOf({ MOBILE_CURSOR_SECRET: value });
    expect(problems).toEqual(['MOBILE_CURSOR_SECRET must be 32 to 1024 printable ASCII characters without spaces']);
  });

  it('belongs to mobile-bff only', () => {
    expect('mobileCursorSecret' in bffSchema('web-bff')).toBe(false);
    expect('mobileCursorSecret' in bffSchema('partner-bff')).toBe(false);
  });
});
