import { Controller, Get, Query, Req } from '@nestjs/common';
import { InventoryClient } from '@frontdoor/backends';
import { ProblemError } from '@frontdoor/errors';
import { callContextOf } from '@frontdoor/platform';
import { Roles, USER_ROLES } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { ListProductsQuery } from './list-products.query';
import { toMobileProduct, type MobileProduct } from './mobile-product.shape';

const DEFAULT_LIMIT = 20;

/** Cursor = the next offset, base64url. (Signed cursors come with the mobile surface issue.) */
function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const offset = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(offset) || offset < 0) throw new ProblemError('bad-request', 'The cursor is not valid.');
  return offset;
}

@Controller('api/products')
export class ProductsController {
  constructor(private readonly inventory: InventoryClient) {}

  /**
   * The catalogue is for every signed-in employee: any one of the user roles (USER_ROLES). A valid token that carries
   * none of them (roles `[]`) is refused with 403, like any route's undeclared roles — never open to "just a token".
   */
  @Get()
  @Roles(...USER_ROLES)
  async list(@Query() query: ListProductsQuery, @Req() request: FastifyRequest): Promise<{ items: MobileProduct[]; nextCursor: string | null }> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = offsetOf(query.cursor);
    const page = await this.inventory.listProducts({ limit, offset }, callContextOf(request));
    const next = offset + page.items.length;
    return {
      items: page.items.map(toMobileProduct),
      nextCursor: next < page.total && page.items.length > 0 ? Buffer.from(String(next)).toString('base64url') : null,
    };
  }
}
