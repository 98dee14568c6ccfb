import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { QuotaService, type PartnerUsage } from '@frontdoor/rate-limit';
import { PARTNER_ROLE, Roles, XmlRoot, principalOf } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { ApiPartnerProblems } from '../openapi/api-problems.decorator';
import { UsageDto } from './usage.dto';

/**
 * A partner's own usage today against its plan (what the portal shows). Version-neutral: the plan and the
 * quota belong to the key, not to an API version, so both versions serve the same answer. The query itself
 * counts as a request, like any other.
 */
@ApiTags('usage')
@ApiProduces('application/json', 'application/xml')
@ApiPartnerProblems()
@Controller(['v1/usage', 'v2/usage'])
@Roles(PARTNER_ROLE)
export class UsageController {
  constructor(private readonly quotas: QuotaService) {}

  @Get()
  @XmlRoot('usage')
  @ApiOperation({ operationId: 'getUsage', summary: "Your plan and today's usage against its limits" })
  @ApiOkResponse({ type: UsageDto, description: 'Your usage today (UTC).' })
  usage(@Req() request: FastifyRequest): Promise<PartnerUsage> {
    return this.quotas.usage(principalOf(request));
  }
}
