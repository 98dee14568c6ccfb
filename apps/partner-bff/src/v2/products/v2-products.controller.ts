import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { InventoryClient } from '@frontdoor/backends';
import { callContextOf } from '@frontdoor/platform';
import { PARTNER_ROLE, Roles, XmlRoot } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { PRIVATE_NO_CACHE_HEADER, PrivateNoCache } from '../../app/catalogue-cache-control';
import { ApiPartnerProblems, ApiProblems } from '../../openapi/api-problems.decorator';
import { V2ListQuery } from '../v2-list.query';
import type { V2Page } from '../v2-page.dto';
import { V2ProductPageDto } from './v2-product.dto';
import { toV2Product, type V2Product } from './v2-product.shape';

export interface V2ProductPage {
  readonly data: V2Product[];
  readonly page: V2Page;
}

/** The catalogue in the v2 shape: the same inventory call as v1, shaped by v2's own shaper. */
@ApiTags('products')
@ApiProduces('application/json', 'application/xml')
@ApiPartnerProblems()
@Controller('v2/products')
@Roles(PARTNER_ROLE)
export class V2ProductsController {
  constructor(private readonly inventory: InventoryClient) {}

  @Get()
  @PrivateNoCache()
  @XmlRoot('products')
  @ApiOperation({ operationId: 'listProducts', summary: 'The catalogue, paged, with availability' })
  @ApiOkResponse({
    type: V2ProductPageDto,
    headers: PRIVATE_NO_CACHE_HEADER,
    description: 'A page of the catalogue.',
  })
  @ApiProblems(400)
  async list(@Query() query: V2ListQuery, @Req() request: FastifyRequest): Promise<V2ProductPage> {
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    const page = await this.inventory.listProducts({ limit, offset }, callContextOf(request));
    return { data: page.items.map(toV2Product), page: { limit, offset, total: page.total } };
  }
}
