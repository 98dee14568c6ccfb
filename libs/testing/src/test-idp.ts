import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type JWK, type KeyLike } from 'jose';
import { startStub, type Stub } from './stub.server';

/** Keys the test IdP can sign with: its published RS256 and ES256 keys, or a key it never publishes. */
export type TestIdpKey = 'rsa' | 'ec' | 'unpublished';

export interface TestIdpSignOptions {
  /** Default `rsa` (RS256). */
  readonly key?: TestIdpKey;
  /** Overrides the header's `alg` (jose then signs with that algorithm: `PS256` with the RSA key works). */
  readonly alg?: string;
  /** Extra or replaced protected-header members (`kid`, `crit`, …); `kid: undefined` removes it. */
  readonly header?: Record<string, unknown>;
}

/**
 * An identity provider for specs, with its own keys (not the demo IdP): serves `GET /jwks.json`, counts the fetches,
 * signs whatever claims a spec wants — including broken ones — and can rotate keys or go down (connections reset).
 */
export interface TestIdp {
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
  /** The published RSA public key as SPKI PEM (for the HS256-with-the-public-key confusion attack). */
  readonly rsaPublicPem: string;
  /** The current kid of a key (the RSA one changes on `rotate()`). */
  kidOf(key: TestIdpKey): string;
  /** JWKS requests served (or refused while down) so far. */
  fetches(): number;
  /** Claims that pass: sub `alice`, roles `['finance']`, iss/aud of this IdP, iat now, exp in 10 minutes. */
  claims(overrides?: Record<string, unknown>): Record<string, unknown>;
  sign(claims: Record<string, unknown>, options?: TestIdpSignOptions): Promise<string>;
  /** `alg: none`, empty signature (RFC 7519 §6 "unsecured JWT"), with the published RSA kid. */
  signNone(claims: Record<string, unknown>): string;
  /** HS256 keyed with the published RSA public key PEM: the classic algorithm-confusion forgery. */
  signHs256WithPublicKey(claims: Record<string, unknown>): Promise<string>;
  /** A new RSA key becomes the signing key; the JWKS publishes the new and the previous one. */
  rotate(): Promise<void>;
  /** Down: every JWKS request has its connection destroyed. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

interface Key {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: KeyLike;
  readonly publicKey: KeyLike;
  readonly jwk: JWK;
}

let counter = 0;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function createKey(alg: 'RS256' | 'ES256'): Promise<Key> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  counter += 1;
  const kid = `test-${alg.toLowerCase()}-${counter}`;
  return { kid, alg, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export async function startTestIdp(options: { issuer?: string; audience?: string } = {}): Promise<TestIdp> {
  let rsa = await createKey('RS256');
  let previous: Key | undefined;
  const ec = await createKey('ES256');
  const unpublished = await createKey('RS256');
  const rsaPublicPem = await exportSPKI(rsa.publicKey);
  let down = false;
  let fetches = 0;
  const stub: Stub = await startStub((req, res) => {
    if (req.url !== '/jwks.json') return void res.writeHead(404).end();
    fetches += 1;
    if (down) return void res.socket?.destroy();
    const keys = [rsa.jwk, ec.jwk, ...(previous ? [previous.jwk] : [])];
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  const issuer = options.issuer ?? 'https://idp.test';
  const audience = options.audience ?? 'frontdoor-test';
  return {
    jwksUrl: `${stub.url}/jwks.json`,
    issuer,
    audience,
    rsaPublicPem,
    kidOf: (key) => ({ rsa, ec, unpublished })[key].kid,
    fetches: () => fetches,
    claims: (overrides = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return { iss: issuer, aud: audience, sub: 'alice', roles: ['finance'], iat: now, exp: now + 600, ...overrides };
    },
    sign: async (claims, signOptions = {}) => {
      const key = { rsa, ec, unpublished }[signOptions.key ?? 'rsa'];
      const header: Record<string, unknown> = { alg: signOptions.alg ?? key.alg, kid: key.kid, typ: 'JWT', ...signOptions.header };
      // jose refuses to sign `crit` members it does not know unless told they are understood
      const crit = Array.isArray(header['crit']) ? Object.fromEntries((header['crit'] as string[]).map((c) => [c, true])) : undefined;
      return new SignJWT(claims).setProtectedHeader(header as never).sign(key.privateKey, crit ? { crit } : undefined);
    },
    signNone: (claims) => `${b64({ alg: 'none', kid: rsa.kid, typ: 'JWT' })}.${b64(claims)}.`,
    signHs256WithPublicKey: (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: rsa.kid, typ: 'JWT' }).sign(new TextEncoder().encode(rsaPublicPem)),
    rotate: async () => {
      previous = rsa;
      rsa = await createKey('RS256');
    },
    setDown: (value) => {
      down = value;
    },
    close: () => stub.close(),
  };
}
