// What the soak sends to each app: phase 1 (fill the in-process state that grows with distinct inputs, up to its
// bound) and phase 2 (a steady weighted mix). Everything is answered by the bench upstream (tools/bench/upstream.mjs):
// products 1–500 (SKU-00001…SKU-00500), pages of up to 100 products at any offset (query parameters it does not know,
// like q or tag, are ignored, so each distinct query string is a distinct cache key with a full page), any E#### for
// hr/payroll, orders and POST /orders.
//
// In-process state per app (read from the sources, see the report's notes):
//   web-bff     — the response cache of its pass-through rows (libs/routing → libs/upstream MemoryCacheStore: LRU bounded
//                 by CACHE_MAX_ENTRIES and CACHE_MAX_BYTES of bodies); the verified-token LRU (10,000 tokens).
//   mobile-bff  — no response cache; the verified-token LRU.
//   partner-bff — no response cache; Idempotency-Key records (in memory without REDIS_URL, kept 24 h, swept only when
//                 expired: they grow with every order placed).

const pad = (n, width) => String(n).padStart(width, '0');
const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));

/** Products the bench upstream knows (PRODUCT_TOTAL in lib/payloads.mjs) and the largest page it answers. */
export const UPSTREAM_PRODUCTS = 500;
export const UPSTREAM_PAGE_MAX = 100;
/** Offsets whose page of 100 is full (100 products): 0 … 400. */
const FULL_PAGE_OFFSETS = UPSTREAM_PRODUCTS - UPSTREAM_PAGE_MAX + 1;

export const ALL_ROLES = ['admin', 'warehouse', 'sales', 'finance', 'hr'];
const SKU_PATHS = range(UPSTREAM_PRODUCTS, (i) => `/api/inventory/products/SKU-${pad(i + 1, 5)}`);
const EMPLOYEE_IDS = range(200, (i) => `E${pad(i + 1, 4)}`);

/** The n-th distinct page URL of web's cached inventory list row: full pages first, then the same with a distinct q. */
export function webPagePath(i, tag = 'fill') {
  const offset = i % FULL_PAGE_OFFSETS;
  const round = Math.floor(i / FULL_PAGE_OFFSETS);
  return `/api/inventory/products?limit=${UPSTREAM_PAGE_MAX}&offset=${offset}${round ? `&q=${tag}${round}` : ''}`;
}

const bearerSets = (tokens) => tokens.map((t) => ({ authorization: `Bearer ${t}` }));

/**
 * Phase 1 for an app: a list of steps, each one worker run in list mode. `pageBytes`: the size of one full page as
 * the web-bff answers it (measured before), to know how many pages fill CACHE_MAX_BYTES.
 */
export function fillSteps(app, { tokens, apiKey, fillTokens, fillOrders, cache, pageBytes, fillFactor }) {
  const steps = [];
  if (app === 'web-bff' || app === 'mobile-bff') {
    const n = Math.min(fillTokens, tokens.length);
    if (n > 0) {
      // one request per distinct token: each is verified once (RS256) and kept in the verified-token LRU
      const path = app === 'web-bff' ? (i) => SKU_PATHS[i % SKU_PATHS.length] : () => '/api/products?limit=1';
      steps.push({
        id: 'tokens',
        label: `${n} distinct user tokens (verified-token LRU, 10,000 entries)${app === 'web-bff' ? `, on the ${UPSTREAM_PRODUCTS} cached product rows` : ''}`,
        concurrency: 8,
        requests: range(n, (i) => ({ name: 'fill-token', path: path(i), headers: { authorization: `Bearer ${tokens[i]}` } })),
      });
    }
  }
  if (app === 'web-bff' && cache.maxBytes > 0 && cache.maxEntries > 0) {
    // enough ~100 KB pages to pass the byte bound by `fillFactor`, the last ones resident, the first ones evicted
    // (when CACHE_MAX_ENTRIES binds before the bytes do, the entry bound is what gets filled; the report says which)
    const pages = Math.ceil(Math.min(cache.maxBytes / pageBytes, cache.maxEntries) * fillFactor);
    steps.push({
      id: 'cache',
      label: `${pages} distinct cached pages of ${UPSTREAM_PAGE_MAX} products (GET /api/inventory/products?limit=100&offset=…), ≈${((pages * pageBytes) / 2 ** 20).toFixed(1)} MiB of bodies against CACHE_MAX_BYTES ${(cache.maxBytes / 2 ** 20).toFixed(1)} MiB`,
      concurrency: 2,
      record: true,
      requests: range(pages, (i) => ({ name: 'fill-page', path: webPagePath(i), headers: { authorization: `Bearer ${tokens[0]}` } })),
    });
  }
  if (app === 'partner-bff' && fillOrders > 0 && apiKey) {
    steps.push({
      id: 'orders',
      label: `${fillOrders} orders placed with distinct Idempotency-Keys (in-memory idempotency records, kept 24 h)`,
      concurrency: 8,
      requests: range(fillOrders, (i) => ({
        name: 'fill-order',
        method: 'POST',
        path: i % 2 ? '/v2/orders' : '/v1/orders',
        headers: { 'x-api-key': apiKey, 'content-type': 'application/json', 'idempotency-key': `soak-fill-${pad(i, 8)}` },
        body: JSON.stringify({ customerId: `C${pad((i % 120) + 1, 4)}`, items: [{ sku: `SKU-${pad((i % UPSTREAM_PRODUCTS) + 1, 5)}`, quantity: 1 + (i % 5) }] }),
      })),
    });
  }
  return steps;
}

/**
 * Phase 2 for an app: weighted targets (weights are percentages). Paths are cycled per target; `{n}` is the target's
 * own request counter (distinct keys). `salt` keeps keys of setting A and B apart.
 */
export function mixTargets(app, { tokens, apiKey, fillPages, salt }) {
  if (app === 'web-bff') {
    const auth = bearerSets(tokens.slice(0, Math.max(1, Math.min(tokens.length, 1000))));
    const resident = range(Math.max(1, fillPages), (i) => webPagePath(i));
    return [
      { name: 'inventory row (cached, ~1 KB)', weight: 25, paths: SKU_PATHS, headerSets: auth },
      { name: 'inventory page (cached, ~100 KB, fill set)', weight: 4, paths: resident, headerSets: auth },
      { name: 'inventory page (new key: miss + LRU eviction)', weight: 2, paths: range(FULL_PAGE_OFFSETS, (i) => `/api/inventory/products?limit=100&offset=${i}&q=${salt}-{n}`), headerSets: auth },
      { name: 'products (GET /api/products?limit=20)', weight: 20, paths: ['/api/products?limit=20', '/api/products?limit=20&offset=20', '/api/products?limit=5'], headerSets: auth },
      { name: 'employee profile (hr + payroll XML)', weight: 20, paths: EMPLOYEE_IDS.map((id) => `/api/employees/${id}`), headerSets: auth },
      { name: 'dashboard (3 parts)', weight: 14, paths: ['/api/dashboard'], headerSets: auth },
      { name: 'hr pass-through (uncached)', weight: 15, paths: EMPLOYEE_IDS.map((id) => `/api/hr/employees/${id}`), headerSets: auth },
    ];
  }
  if (app === 'mobile-bff') {
    const auth = bearerSets(tokens.slice(0, Math.max(1, Math.min(tokens.length, 1000))));
    // phones send Accept-Encoding: responses are compressed (gzip or brotli), as in production
    const withEncoding = auth.flatMap((h) => [
      { ...h, 'accept-encoding': 'gzip, deflate, br' },
      { ...h, 'accept-encoding': 'gzip' },
    ]);
    const lists = [];
    for (const limit of [10, 20, 50]) for (const q of ['', '&q=speaker', '&q=carbon']) for (const tag of ['', '&tag=garden', '&tag=tools']) lists.push(`/api/products?limit=${limit}${q}${tag}`);
    return [
      { name: 'products (search / tag / page size)', weight: 45, paths: lists, headerSets: withEncoding },
      { name: 'products (1)', weight: 20, paths: ['/api/products?limit=1'], headerSets: withEncoding },
      { name: 'home (one round trip)', weight: 35, paths: ['/api/home'], headerSets: withEncoding },
    ];
  }
  // partner-bff
  const key = { 'x-api-key': apiKey };
  const productPages = [];
  for (const limit of [20, 50, 100]) for (let offset = 0; offset < 400; offset += 37) productPages.push(`?limit=${limit}&offset=${offset}`);
  const acmeOrders = range(75, (i) => `O-${pad(i * 4 + 1, 5)}`); // the bench upstream's orders of partner acme
  return [
    { name: 'v1 products (JSON)', weight: 25, paths: productPages.map((q) => `/v1/products${q}`), headers: key },
    { name: 'v1 products (XML)', weight: 5, paths: productPages.map((q) => `/v1/products${q}`), headers: { ...key, accept: 'application/xml' } },
    { name: 'v2 products', weight: 20, paths: productPages.map((q) => `/v2/products${q}`), headers: key },
    { name: 'v1 orders (list)', weight: 15, paths: ['/v1/orders?limit=20', '/v1/orders?limit=20&offset=20'], headers: key },
    { name: 'v1 order (one)', weight: 15, paths: acmeOrders.map((id) => `/v1/orders/${id}`), headers: key },
    { name: 'v2 orders (list)', weight: 10, paths: ['/v2/orders'], headers: key },
    {
      name: 'POST v1 order (new Idempotency-Key)',
      weight: 5,
      method: 'POST',
      paths: ['/v1/orders'],
      headers: { ...key, 'content-type': 'application/json' },
      uniqueHeaders: { 'idempotency-key': `soak-${salt}-{n}` },
      body: JSON.stringify({ customerId: 'C0001', items: [{ sku: 'SKU-00001', quantity: 2 }] }),
    },
  ];
}
