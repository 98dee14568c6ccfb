import { HttpProblem, intParam, json, pageParams, paginate, type Route } from './http-kit';
import type { Product } from './products.seed';

/**
 * inventory (JSON): `GET /products?limit=&offset=&q=&tag=` → `{items, total, limit, offset}`,
 * `GET /products/:sku`, `GET /stock/alerts?threshold=10` → `{items: [{sku, name, stock, warehouse}]}` (stock below
 * the threshold, lowest first).
 */
export function inventoryRoutes(products: readonly Product[]): Route[] {
  const bySku = new Map(products.map((p) => [p.sku, p]));
  return [
    {
      method: 'GET',
      path: '/products',
      handler: ({ query }) => {
        const page = pageParams(query);
        const q = (query.get('q') ?? '').trim().toLowerCase();
        const tag = query.get('tag') ?? '';
        if (q.length > 100 || tag.length > 50)
          throw new HttpProblem(400, 'q is limited to 100 and tag to 50 characters');
        const matching = products.filter(
          (p) =>
            (!q || p.name.toLowerCase().includes(q) || p.sku.toLowerCase().includes(q)) &&
            (!tag || p.tags.includes(tag)),
        );
        return json(paginate(matching, page));
      },
    },
    {
      method: 'GET',
      path: '/products/:sku',
      handler: ({ params }) => {
        const product = bySku.get(params['sku'] ?? '');
        if (!product) throw new HttpProblem(404, `no product ${params['sku']}`);
        return json(product);
      },
    },
    {
      method: 'GET',
      path: '/stock/alerts',
      handler: ({ query }) => {
        const threshold = intParam(query, 'threshold', 10, 0, 1_000_000);
        const items = products
          .filter((p) => p.stock < threshold)
          .sort((a, b) => a.stock - b.stock || a.sku.localeCompare(b.sku))
          .map(({ sku, name, stock, warehouse }) => ({ sku, name, stock, warehouse }));
        return json({ items });
      },
    },
  ];
}
