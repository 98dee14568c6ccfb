import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError, configProblem } from '@frontdoor/config';

/** The public half, as served at `/.well-known/jwks.json`. */
export interface GatewayPublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  readonly kid: string;
  readonly alg: 'ES256';
  readonly use: 'sig';
}

/** RFC 7638 thumbprint of an EC key: the required members in lexicographic order, SHA-256, base64url. */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * The gateway's own signing key for identity tokens to upstreams: ES256 (EC P-256) — about ten times cheaper to
 * sign than RS256 and supported by every JOSE library. Generated at start unless `GATEWAY_SIGNING_KEY_FILE` names a
 * PKCS#8 PEM key (needed when several instances of one app must publish the same JWKS). kid = RFC 7638 thumbprint.
 */
export class GatewayKey {
  readonly publicJwk: GatewayPublicJwk;

  private constructor(private readonly privateKey: KeyObject) {
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    this.publicJwk = Object.freeze({ kty: 'EC', crv: 'P-256', x: jwk.x as string, y: jwk.y as string, kid: thumbprint(jwk), alg: 'ES256', use: 'sig' });
  }

  static generate(): GatewayKey {
    return new GatewayKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  }

  /**
   * Reads the key once, at start (the app module's factory): a bad file stops the start like a bad variable does
   * (`runBff` reports a ConfigError as `loadConfigOrExit` does, exit 78). The message names the variable and the
   * path, never what the file holds; OpenSSL's reason is left out (it names no variable).
   * @throws ConfigError naming GATEWAY_SIGNING_KEY_FILE when the file is unreadable, or holds no unencrypted PEM
   *   private key, or not an EC P-256 one
   */
  static fromPemFile(path: string): GatewayKey {
    const refuse = (problem: string) =>
      new ConfigError([configProblem('GATEWAY_SIGNING_KEY_FILE', problem, path)]);
    let pem: string;
    let key: KeyObject;
    try {
      pem = readFileSync(path, 'utf8');
    } catch {
      throw refuse('must name a file this process can read');
    }
    try {
      key = createPrivateKey(pem);
    } catch {
      throw refuse('must hold an unencrypted PEM private key');
    }
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw refuse('must hold an EC P-256 private key (ES256)');
    }
    return new GatewayKey(key);
  }

  get kid(): string {
    return this.publicJwk.kid;
  }

  /** JWS ES256 signature of `signingInput` (R‖S, 64 bytes), base64url. */
  sign(signingInput: string): string {
    return sign('sha256', Buffer.from(signingInput), { key: this.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  }
}
