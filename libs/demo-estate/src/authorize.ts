import type { IncomingMessage } from 'node:http';
import type { ServiceName } from './estate-members';
import type { GatewayTrust } from './gateway-trust';

const BEARER = /^Bearer ([A-Za-z0-9._-]+)$/;

/**
 * THE seam through which every request to the five business services passes, before the demo knob, faults and
 * routing (identity, the IdP, is not behind it). When the estate trusts gateways, a request needs the gateway-signed
 * identity token for this service (`Authorization: Bearer <token>`, `aud` = the service's name) — a user token, an
 * API key, or forged identity headers get 401. `/health` and the demo knob (`/__demo/*`) stay open. With no gateway
 * trusted, everything is allowed (the estate's own tests and libraries' tests call the services directly).
 */
export async function authorize(trust: GatewayTrust | undefined, service: ServiceName, req: IncomingMessage, pathname: string): Promise<boolean> {
  if (!trust?.enabled || pathname === '/health' || pathname.startsWith('/__demo/')) return true;
  const match = BEARER.exec(req.headers.authorization ?? '');
  return match !== null && trust.verify(match[1] as string, service);
}
