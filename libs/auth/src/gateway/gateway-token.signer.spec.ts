import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { ConfigError, configProblem } from '@frontdoor/config';
import type { Principal } from '@frontdoor/rbac';
import { GatewayKey } from './gateway-key';
import { GATEWAY_TOKEN_LIFETIME_S, GatewayTokenSigner } from './gateway-token.signer';

function rejectionOfSync(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const alice: Principal = Object.freeze({ kind: 'user', id: 'alice', roles: Object.freeze(['finance']) });
const acme: Principal = Object.freeze({ kind: 'partner', id: 'acme', roles: Object.freeze(['partner']), plan: 'gold', keyId: 'key_0123456789ab' });

describe('GatewayTokenSigner', () => {
  const key = GatewayKey.generate();
  const jwks = createLocalJWKSet({ keys: [key.publicJwk as never] });
  const tokenOf = (authorization: string) => authorization.replace(/^Bearer /, '');

  it.each([
    ['a user', alice, 'payroll', { sub: 'alice', roles: ['finance'] }],
    ['a partner', acme, 'sales', { sub: 'partner:acme', roles: ['partner'], partner: 'acme' }],
  ])('signs an ES256 token for %s, verifiable with the published JWKS, for one audience, living 60 s', async (_label, who, audience, claims) => {
    const signer = new GatewayTokenSigner(key, 'frontdoor:web-bff');
    const token = tokenOf(signer.authorizationFor(who, audience));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: 'frontdoor:web-bff', audience, algorithms: ['ES256'] });
    expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'JWT', kid: key.kid });
    expect(payload).toEqual({ iss: 'frontdoor:web-bff', aud: audience, iat: expect.any(Number), exp: expect.any(Number), ...claims });
    expect((payload.exp as number) - (payload.iat as number)).toBe(GATEWAY_TOKEN_LIFETIME_S);
    expect(JSON.stringify(payload)).not.toMatch(/key_0123|gold/);
    await expect(jwtVerify(token, jwks, { audience: 'hr' })).rejects.toThrow();
  });

  it('signs once per principal and audience per half lifetime', () => {
    let clock = 1_700_000_000_000;
    const signer = new GatewayTokenSigner(key, 'frontdoor:web-bff', () => clock);
    const signs = jest.spyOn(key, 'sign');
    const first = signer.authorizationFor(alice, 'hr');
    for (let i = 0; i < 100; i++) expect(signer.authorizationFor(alice, 'hr')).toBe(first);
    signer.authorizationFor(alice, 'payroll');
    signer.authorizationFor(acme, 'hr');
    expect(signs).toHaveBeenCalledTimes(3);
    clock += 29_999;
    expect(signer.authorizationFor(alice, 'hr')).toBe(first);
    clock += 1;
    expect(signer.authorizationFor(alice, 'hr')).not.toBe(first);
    expect(signs).toHaveBeenCalledTimes(4);
    signs.mockRestore();
  });

  describe('GATEWAY_SIGNING_KEY_FILE', () => {
    let dir: string;
    beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'frontdoor-gw-key-'))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };

    it('loads a PKCS#8 EC P-256 key: the same kid on every start', () => {
      const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      const path = write('gw.pem', pem);
      expect(GatewayKey.fromPemFile(path).kid).toBe(GatewayKey.fromPemFile(path).kid);
      const token = new GatewayTokenSigner(GatewayKey.fromPemFile(path), 'x').authorizationFor(alice, 'hr');
      expect(decodeProtectedHeader(tokenOf(token)).kid).toBe(GatewayKey.fromPemFile(path).kid);
    });

    const pkcs8 = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }) as string;
    it.each([
      ['a missing file', () => join(dir, 'missing.pem'), 'must name a file this process can read'],
      [
        'not a key',
        () => write('junk.pem', 'hello SECRET-CONTENTS'),
        'must hold an unencrypted PEM private key',
      ],
      [
        'a public key',
        () =>
          write(
            'pub.pem',
            generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
              type: 'spki',
              format: 'pem',
            }) as string,
          ),
        'must hold an unencrypted PEM private key',
      ],
      [
        'an encrypted key',
        () =>
          write(
            'enc.pem',
            generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
              type: 'pkcs8',
              format: 'pem',
              cipher: 'aes-256-cbc',
              passphrase: 'pw',
            }) as string,
          ),
        'must hold an unencrypted PEM private key',
      ],
      [
        'an RSA key',
        () => write('rsa.pem', pkcs8(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)),
        'must hold an EC P-256 private key (ES256)',
      ],
      [
        'an EC P-384 key',
        () => write('p384.pem', pkcs8(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey)),
        'must hold an EC P-256 private key (ES256)',
      ],
    ])(
      'refuses %s at start with a ConfigError naming the variable and the path, never the contents',
      (_label, path, problem) => {
        const file = path();
        const error = rejectionOfSync(() => GatewayKey.fromPemFile(file));
        // before: a plain Error (runBff: exit 1), worded apart from the configuration's report
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems).toEqual([
          configProblem('GATEWAY_SIGNING_KEY_FILE', problem, file),
        ]);
        expect((error as ConfigError).problems[0]).toMatch(
          new RegExp(`^GATEWAY_SIGNING_KEY_FILE ${problem.replace(/[()]/g, '\\$&')} \\(got "`),
        );
        expect((error as ConfigError).message).not.toMatch(/SECRET|BEGIN|PRIVATE KEY/);
      },
    );
  });
});
