import { Controller, Get, Req } from '@nestjs/common';
import { QuotaService, type PartnerUsage } from '@frontdoor/rate-limit';
import { PARTNER_ROLE, Roles, principalOf } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';

/**
 * A partner's own usage today against its plan (what the portal shows). Version-neutral: the plan and the
 * quota belong to the key, not to an API version. The query itself counts as a request, like any other.
 */
@Controller('v1/usage')
@Roles(PARTNER_ROLE)
export class UsageController {
  constructor(private readonly quotas: QuotaService) {}

  @Get()
  usage(@Req() request: FastifyRequest): Promise<PartnerUsage> {
    return this.quotas.usage(principalOf(request));
  }
}
