import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { callContextOf, principalOf } from '@frontdoor/platform';
import { PARTNER_ROLE, Roles } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { V1ListOrdersQuery } from './v1-list-orders.query';
import { toV1Order, type V1Order } from './v1-order.shape';
import { V1OrdersService } from './v1-orders.service';

export interface V1OrderPage {
  readonly data: V1Order[];
  readonly page: { readonly limit: number; readonly offset: number; readonly total: number };
}

/** The calling partner's own orders (the partner comes from the API key, never from the request). */
@Controller('v1/orders')
@Roles(PARTNER_ROLE)
export class V1OrdersController {
  constructor(private readonly orders: V1OrdersService) {}

  @Get()
  async list(@Query() query: V1ListOrdersQuery, @Req() request: FastifyRequest): Promise<V1OrderPage> {
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    const page = await this.orders.list(principalOf(request).id, { limit, offset }, callContextOf(request));
    return { data: page.items.map(toV1Order), page: { limit, offset, total: page.total } };
  }

  @Get(':id')
  async get(@Param('id') id: string, @Req() request: FastifyRequest): Promise<V1Order> {
    return toV1Order(await this.orders.get(principalOf(request).id, id, callContextOf(request)));
  }
}
