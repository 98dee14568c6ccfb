import { Body, Controller, Get, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiConsumes, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Idempotent, IdempotencyInterceptor, upstreamIdempotencyKeyOf } from '@frontdoor/idempotency';
import { AcceptsXmlBody, callContextOf, principalOf } from '@frontdoor/platform';
import { PARTNER_ROLE, Roles, XmlRoot } from '@frontdoor/rbac';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BodyLimit } from '../../app/route-body-limit';
import { ApiPartnerProblems, ApiProblems } from '../../openapi/api-problems.decorator';
import { CREATED_ORDER_HEADERS, IDEMPOTENCY_KEY_HEADER } from '../../openapi/idempotency.docs';
import { NO_STORE_HEADER, NoStore } from '../../orders/order-cache-control';
import { ORDER_BODY_LIMIT_BYTES } from '../../orders/order-limits';
import { orderLocation } from '../../orders/order-location';
import { OrderBodyInterceptor } from '../../orders/order-body.interceptor';
import { PartnerOrdersService } from '../../orders/partner-orders.service';
import { V1CreateOrderDto } from './v1-create-order.dto';
import { V1ListOrdersQuery } from './v1-list-orders.query';
import { V1OrderDto, V1OrderPageDto } from './v1-order.dto';
import { toV1Order, type V1Order } from './v1-order.shape';

export interface V1OrderPage {
  readonly data: V1Order[];
  readonly page: { readonly limit: number; readonly offset: number; readonly total: number };
}

/** The calling partner's own orders (the partner comes from the API key, never from the request). */
@ApiTags('orders')
@ApiProduces('application/json', 'application/xml')
@ApiPartnerProblems()
@Controller('v1/orders')
@Roles(PARTNER_ROLE)
export class V1OrdersController {
  constructor(private readonly orders: PartnerOrdersService) {}

  @Get()
  @NoStore()
  @XmlRoot('orders')
  @ApiOperation({ operationId: 'listOrders', summary: 'Your orders, newest first, paged' })
  @ApiOkResponse({ type: V1OrderPageDto, headers: NO_STORE_HEADER, description: 'A page of your orders.' })
  @ApiProblems(400)
  async list(@Query() query: V1ListOrdersQuery, @Req() request: FastifyRequest): Promise<V1OrderPage> {
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    const page = await this.orders.list(principalOf(request).id, { limit, offset }, callContextOf(request));
    return { data: page.items.map(toV1Order), page: { limit, offset, total: page.total } };
  }

  @Get(':id')
  @NoStore()
  @XmlRoot('order')
  @ApiOperation({ operationId: 'getOrder', summary: 'One of your orders' })
  @ApiParam({ name: 'id', example: 'O-00001' })
  @ApiOkResponse({ type: V1OrderDto, headers: NO_STORE_HEADER, description: 'The order.' })
  @ApiProblems(404)
  async get(@Param('id') id: string, @Req() request: FastifyRequest): Promise<V1Order> {
    return toV1Order(await this.orders.get(principalOf(request).id, id, callContextOf(request)));
  }

  /** Outermost first: an XML body becomes the JSON shape, then the key is claimed, then the DTO is validated. */
  @Post()
  @BodyLimit(ORDER_BODY_LIMIT_BYTES)
  @NoStore()
  @Idempotent()
  @UseInterceptors(OrderBodyInterceptor, IdempotencyInterceptor)
  @XmlRoot('order')
  @ApiOperation({ operationId: 'createOrder', summary: 'Place an order for one of your customers (idempotent with Idempotency-Key)' })
  @ApiConsumes('application/json', 'application/xml')
  @AcceptsXmlBody()
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  // eslint-disable-next-line no-restricted-syntax -- evaluated once, when the class is defined
  @ApiCreatedResponse({ type: V1OrderDto, headers: { ...CREATED_ORDER_HEADERS, ...NO_STORE_HEADER }, description: 'The order placed (or, for a retry, the first answer again).' })
  @ApiProblems(400, 409, 413, 415, 422)
  async create(@Body() body: V1CreateOrderDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<V1Order> {
    const order = toV1Order(await this.orders.create(principalOf(request).id, body, callContextOf(request), upstreamIdempotencyKeyOf(request)));
    // RFC 9110 §15.3.2: the order created (a replay carries it too: the idempotency record keeps the handler's headers)
    reply.header('location', orderLocation('v1', order.id));
    return order;
  }
}
