import { Controller, Get, Header, Query, Req } from '@nestjs/common';
import { callContextOf } from '@frontdoor/platform';
import { Roles, USER_ROLES } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { ListProductsQuery } from './list-products.query';
import type { MobileProductPage } from './mobile-product.shape';
import { ProductsService } from './products.service';

/**
 * A catalogue page is for signed-in employees only: no shared cache may keep it, and the phone's own cache asks again
 * each time, cheaply, with the page's ETag (If-None-Match → a 304 carrying the same Cache-Control), as for the home
 * screen. Without it a client cache may reuse a page for as long as it guesses (RFC 9111 §4.2.2).
 */
export const CATALOGUE_CACHE_CONTROL = 'private, no-cache';

@Controller('api/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  /**
   * The catalogue is for every signed-in employee: any one of the user roles (USER_ROLES). A valid token that carries
   * none of them (roles `[]`) is refused with 403, like any route's undeclared roles — never open to "just a token".
   */
  @Get()
  @Header('Cache-Control', CATALOGUE_CACHE_CONTROL)
  @Roles(...USER_ROLES)
  list(@Query() query: ListProductsQuery, @Req() request: FastifyRequest): Promise<MobileProductPage> {
    return this.products.listPage(query, callContextOf(request));
  }
}
