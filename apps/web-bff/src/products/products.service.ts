import { Injectable } from '@nestjs/common';
import { InventoryClient, type CallContext } from '@frontdoor/backends';
import type { ListProductsQuery } from './products.query';
import { parseProductFields, toWebProductPage, toWebProductView, type WebProduct, type WebProductField, type WebProductPage } from './web-product.shape';

/** Default page size of the web catalogue. */
export const DEFAULT_PAGE_SIZE = 20;

/** `fields` was validated by the query DTO; undefined = every field. */
function selectedFields(fields: string | undefined): readonly WebProductField[] | undefined {
  if (fields === undefined) return undefined;
  const parsed = parseProductFields(fields);
  return 'fields' in parsed ? parsed.fields : undefined;
}

/** The web catalogue: inventory's products in full detail (named fields only), searchable and paged. */
@Injectable()
export class ProductsService {
  constructor(private readonly inventory: InventoryClient) {}

  async listProducts(query: ListProductsQuery, ctx: CallContext): Promise<WebProductPage> {
    const page = await this.inventory.listProducts(
      { q: query.q, tag: query.tag, limit: query.limit ?? DEFAULT_PAGE_SIZE, offset: query.offset ?? 0 },
      ctx,
    );
    return toWebProductPage(page, selectedFields(query.fields));
  }

  /** @throws ProblemError `not-found` (404) for an unknown sku */
  async getProduct(sku: string, fields: string | undefined, ctx: CallContext): Promise<Partial<WebProduct>> {
    return toWebProductView(await this.inventory.getProduct(sku, ctx), selectedFields(fields));
  }
}
