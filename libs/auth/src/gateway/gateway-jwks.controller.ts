import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Public } from '@frontdoor/rbac';
import { GatewayKey, type GatewayPublicJwk } from './gateway-key';

/**
 * `GET /.well-known/jwks.json`: the public half of the gateway's identity-token key, for upstream services to verify
 * what the gateway signs. Public (no authentication), like health; it holds nothing secret.
 */
@Public()
@Controller('.well-known')
export class GatewayJwksController {
  constructor(@Inject(GatewayKey) private readonly key: GatewayKey) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): { keys: GatewayPublicJwk[] } {
    return { keys: [this.key.publicJwk] };
  }
}
