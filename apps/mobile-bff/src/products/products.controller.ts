import { Controller, Get, Query, Req } from '@nestjs/common';
import { callContextOf } from '@frontdoor/platform';
import { Roles, USER_ROLES } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { ListProductsQuery } from './list-products.query';
import type { MobileProductPage } from './mobile-product.shape';
import { ProductsService } from './products.service';

@Controller('api/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  /**
   * The catalogue is for every signed-in employee: any one of the user roles (USER_ROLES). A valid token that carries
   * none of them (roles `[]`) is refused with 403, like any route's undeclared roles — never open to "just a token".
   */
  @Get()
  @Roles(...USER_ROLES)
  list(@Query() query: ListProductsQuery, @Req() request: FastifyRequest): Promise<MobileProductPage> {
    return this.products.listPage(query, callContextOf(request));
  }
}
