import type { EstateMember, ServiceName } from './estate-members';
import type { Fault } from './faults';
import type { RecordedRequest } from './recorder';

/** How to start the estate. Every field is optional. */
export interface DemoEstateOptions {
  /** Listen ports. Default: 0 (ephemeral) for every member; `'default'` = `DEMO_PORTS` (4000–4005). Always 127.0.0.1. */
  ports?: Partial<Record<EstateMember, number>> | 'default';
  /** Initial faults per service (default: none). */
  faults?: Partial<Record<ServiceName, Fault>>;
  /** `iss` of issued tokens; default `DEMO_JWT_ISSUER`, whatever port identity listens on. */
  issuer?: string;
  /** `aud` of issued tokens; default `DEMO_JWT_AUDIENCE`. */
  audience?: string;
  /** Lifetime of issued tokens, seconds (default 3600). */
  tokenLifetimeS?: number;
  /**
   * JWKS URLs of the gateways the five services trust (`<bff>/.well-known/jwks.json`): each call must then carry a
   * gateway-signed identity token for the service, else 401 (`/health`, `/__demo/*` stay open). Default none:
   * verification off. See also `trustGateways`.
   */
  trustedGatewayJwks?: readonly string[];
}

/** A running demo estate: the dev IdP and the five seeded services, each on its own 127.0.0.1 port. */
export interface DemoEstate {
  /** Base URL per member, `http://127.0.0.1:<port>` without trailing slash. */
  readonly urls: Readonly<Record<EstateMember, string>>;
  /** `<identity url>/.well-known/jwks.json`. */
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
  /** Replaces the service's fault settings (and restarts its error sequence). @throws Error when the fault is invalid */
  setFault(service: ServiceName, fault: Fault): void;
  /** Closes the member's listener and its open sockets (in-flight requests are dropped): connections are then refused. */
  stopService(service: EstateMember): Promise<void>;
  /** Listens again on the same port; no-op when running. @throws Error after `stop()` */
  startService(service: EstateMember): Promise<void>;
  /** The last 200 requests the service received (every path, `/health` and `/__demo/fault` included), oldest first. */
  recorded(service: ServiceName): readonly RecordedRequest[];
  /** Forgets the recorded requests of every service. */
  clearRecorded(): void;
  /** Signs a token exactly as `POST /token` does (works even while identity is stopped). @throws Error on invalid claims */
  issueToken(claims: { sub: string; roles?: string[] }): Promise<string>;
  /** A new identity signing key (new `kid`); the JWKS then serves the new and the previous key. */
  rotateIdentityKeys(): Promise<void>;
  /**
   * Adds gateways to trust, by their JWKS URL (a test starts the estate, then the BFF on an ephemeral port, then
   * calls this): from then on every business call needs that gateway's identity token. @throws Error for a non-URL
   */
  trustGateways(jwksUrls: readonly string[]): void;
  /** Closes every listener and socket; idempotent. */
  stop(): Promise<void>;
}
