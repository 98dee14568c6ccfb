import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { callContextOf } from '@frontdoor/platform';
import { Roles, USER_ROLES, XmlRoot } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { ListProductsQuery, ProductFieldsQuery, ProductParams } from './products.query';
import { ProductsService } from './products.service';
import type { WebProduct, WebProductPage } from './web-product.shape';

/**
 * The catalogue is for every signed-in employee: any one of the user roles (USER_ROLES). It shows nothing internal
 * (no cost price, notes or supplier contacts), so no role needs less of it; a token with none of the roles is 403.
 */
@Controller('api/products')
@Roles(...USER_ROLES)
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @XmlRoot('products')
  list(@Query() query: ListProductsQuery, @Req() request: FastifyRequest): Promise<WebProductPage> {
    return this.products.listProducts(query, callContextOf(request));
  }

  @Get(':sku')
  @XmlRoot('product')
  detail(@Param() params: ProductParams, @Query() query: ProductFieldsQuery, @Req() request: FastifyRequest): Promise<Partial<WebProduct>> {
    return this.products.getProduct(params.sku, query.fields, callContextOf(request));
  }
}
