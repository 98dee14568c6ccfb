import { Controller, Get, Header, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Produces, Public } from '@frontdoor/rbac';
import type { FastifyReply } from 'fastify';
import { JsonOnlyGuard } from './json-only.guard';
import { OpenApiDocuments, type ApiVersion } from './openapi.documents';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The OpenAPI document of each version: public (limited per client IP), built once at start, sent as is; JSON only,
 * so an Accept that rules JSON out is answered 406.
 */
@Public()
@ApiExcludeController()
@UseGuards(JsonOnlyGuard)
@Controller()
export class OpenApiController {
  constructor(private readonly documents: OpenApiDocuments) {}

  @Get('v1/openapi.json')
  @Produces(JSON_TYPE)
  @Header('Cache-Control', 'public, max-age=300')
  v1(@Res({ passthrough: true }) reply: FastifyReply): string {
    return this.send('v1', reply);
  }

  @Get('v2/openapi.json')
  @Produces(JSON_TYPE)
  @Header('Cache-Control', 'public, max-age=300')
  v2(@Res({ passthrough: true }) reply: FastifyReply): string {
    return this.send('v2', reply);
  }

  private send(version: ApiVersion, reply: FastifyReply): string {
    reply.type(JSON_TYPE);
    return this.documents.get(version).json;
  }
}
