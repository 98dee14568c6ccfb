/** Where a placed order lives in the API version that placed it (`/v2/orders/O-00042`): the `Location` of its 201. Pure. */
export function orderLocation(version: 'v1' | 'v2', id: string): string {
  return `/${version}/orders/${encodeURIComponent(id)}`;
}
