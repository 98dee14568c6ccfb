// The run's own "gateway" identity, so that it can read the sales service directly at the end (orders per
// Idempotency-Key) while the estate still refuses anything a trusted gateway did not sign: a tiny JWKS server on a
// free port of 127.0.0.1 (its URL joins DEMO_TRUSTED_GATEWAYS next to the BFFs') and short ES256 tokens with the
// claims the estate checks (aud = the service's name, iss frontdoor:*, lifetime ≤ 60 s).
import { createServer } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

export async function startGatewayIdentity() {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `load-fault-${Date.now().toString(36)}`;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] });
  const server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`;
  return {
    jwksUrl,
    /** `Authorization` header value for one call to `service` (inventory, hr, payroll, sales, customers). */
    bearer: async (service) =>
      `Bearer ${await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setIssuer('frontdoor:load-fault')
        .setSubject('load-fault')
        .setAudience(service)
        .setIssuedAt()
        .setExpirationTime('30s')
        .sign(privateKey)}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
