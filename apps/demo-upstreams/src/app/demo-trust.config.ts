import { APP_PORTS, InvalidValue, urlList, type EnvVar } from '@frontdoor/config';

const DEFAULT = Object.values(APP_PORTS)
  .map((port) => `http://127.0.0.1:${port}/.well-known/jwks.json`)
  .join(',');

const list = urlList('DEMO_TRUSTED_GATEWAYS', DEFAULT, '');

/**
 * `DEMO_TRUSTED_GATEWAYS`: the JWKS URLs of the gateways whose identity tokens the five services require (default:
 * the three BFFs on 3001–3003), or `none` to leave the services open (e.g. to call them with curl).
 */
export const demoTrustSchema = {
  trustedGatewayJwks: {
    name: 'DEMO_TRUSTED_GATEWAYS',
    defaultValue: DEFAULT,
    description: "gateways' JWKS URLs whose identity tokens the services require; none: services open",
    parse: (raw: string): readonly string[] => {
      if (raw.trim() === 'none') return [];
      try {
        return list.parse(raw).map(String);
      } catch {
        throw new InvalidValue('must be none or a comma-separated list of http:// or https:// JWKS URLs');
      }
    },
  } satisfies EnvVar<readonly string[]>,
} as const;
