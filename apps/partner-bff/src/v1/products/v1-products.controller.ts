import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { InventoryClient } from '@frontdoor/backends';
import { callContextOf } from '@frontdoor/platform';
import { PARTNER_ROLE, Roles, XmlRoot } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { PRIVATE_NO_CACHE_HEADER, PrivateNoCache } from '../../app/catalogue-cache-control';
import { ApiPartnerProblems, ApiProblems } from '../../openapi/api-problems.decorator';
import { V1ListProductsQuery } from './v1-list-products.query';
import { V1ProductPageDto } from './v1-product.dto';
import { toV1Product, type V1Product } from './v1-product.shape';

export interface V1ProductPage {
  readonly data: V1Product[];
  readonly page: { readonly limit: number; readonly offset: number; readonly total: number };
}

/** The catalogue, for any partner (the usage plan limits how much, issue 4). */
@ApiTags('products')
@ApiProduces('application/json', 'application/xml')
@ApiPartnerProblems()
@Controller('v1/products')
@Roles(PARTNER_ROLE)
export class V1ProductsController {
  constructor(private readonly inventory: InventoryClient) {}

  @Get()
  @PrivateNoCache()
  @XmlRoot('products')
  @ApiOperation({ operationId: 'listProducts', summary: 'The catalogue, paged' })
  @ApiOkResponse({
    type: V1ProductPageDto,
    headers: PRIVATE_NO_CACHE_HEADER,
    description: 'A page of the catalogue.',
  })
  @ApiProblems(400)
  async list(@Query() query: V1ListProductsQuery, @Req() request: FastifyRequest): Promise<V1ProductPage> {
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    const page = await this.inventory.listProducts({ limit, offset }, callContextOf(request));
    return { data: page.items.map(toV1Product), page: { limit, offset, total: page.total } };
  }
}
