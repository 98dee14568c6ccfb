import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { QuotaService, type PartnerUsage } from '@frontdoor/rate-limit';
import { PARTNER_ROLE, Roles, XmlRoot, principalOf } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { ApiPartnerProblems } from '../openapi/api-problems.decorator';
import { NoStore } from '../orders/order-cache-control';
import { UsageDto } from './usage.dto';

/** The response header as the OpenAPI documents declare it. */
const USAGE_NO_STORE_HEADER = {
  'Cache-Control': {
    description: '`no-store`: the answer holds your usage; no cache may keep it.',
    schema: { type: 'string' },
  },
} as const;

/**
 * A partner's own usage today against its plan (what the portal shows). Version-neutral: the plan and the
 * quota belong to the key, not to an API version, so both versions serve the same answer. The query itself
 * counts as a request, like any other. `Cache-Control: no-store`, as the orders: the answer is the partner's
 * own, and it is answered to an `X-API-Key`, which — not being `Authorization` — does not keep a shared cache
 * from storing it and serving it to another partner (RFC 9111 §3.5).
 */
@ApiTags('usage')
@ApiProduces('application/json', 'application/xml')
@ApiPartnerProblems()
@Controller(['v1/usage', 'v2/usage'])
@Roles(PARTNER_ROLE)
export class UsageController {
  constructor(private readonly quotas: QuotaService) {}

  @Get()
  @NoStore()
  @XmlRoot('usage')
  @ApiOperation({ operationId: 'getUsage', summary: "Your plan and today's usage against its limits" })
  @ApiOkResponse({ type: UsageDto, headers: USAGE_NO_STORE_HEADER, description: 'Your usage today (UTC).' })
  usage(@Req() request: FastifyRequest): Promise<PartnerUsage> {
    return this.quotas.usage(principalOf(request));
  }
}
