import { DAY_MS, Seeded, isoBeforeReference, list, roundMoney, sequenceId } from './seed';

/** A product as inventory serves it. `costPrice` and `internalNotes` are internal: a gateway must never pass them. */
export interface Product {
  sku: string;
  name: string;
  description: string;
  price: number;
  currency: 'EUR';
  stock: number;
  warehouse: Warehouse;
  images: ProductImage[];
  tags: string[];
  supplier: Supplier;
  costPrice: number;
  internalNotes: string;
  createdAt: string;
  updatedAt: string;
}
/** Where a product is stocked. */
export interface Warehouse {
  id: string;
  name: string;
  location: string;
}
/** One product image; the first of a product is always its thumbnail (150×150). */
export interface ProductImage {
  url: string;
  kind: 'thumbnail' | 'full' | 'zoom';
  width: number;
  height: number;
}
/** Who supplies a product. */
export interface Supplier {
  id: string;
  name: string;
  contactEmail: string;
}

/** How many products inventory holds. */
export const PRODUCT_COUNT = 500;

const WAREHOUSES: readonly Warehouse[] = [
  { id: 'WH-BER', name: 'Berlin Central', location: 'Berlin, DE' },
  { id: 'WH-AMS', name: 'Amsterdam Port', location: 'Amsterdam, NL' },
  { id: 'WH-MAD', name: 'Madrid South', location: 'Madrid, ES' },
];
const SUPPLIERS: readonly Supplier[] = list(
  'Nordwerk, Atelier Lumière, Polder Supply, Officina Verde, Iberia Tools, Alpen Goods',
).map((name, i) => ({
  id: sequenceId('SUP-', i + 1, 3),
  name,
  contactEmail: `orders@${name.toLowerCase().replace(/[^a-z]/g, '')}.example`,
}));
const ADJECTIVES = list('Compact, Deluxe, Rugged, Classic, Smart, Eco, Ultra, Modular, Vintage, Pro');
const MATERIALS = ['Steel', 'Oak', 'Bamboo', 'Ceramic', 'Carbon', 'Linen', 'Copper', 'Glass'] as const;
const NOUNS = list(
  'Drill, Lamp, Kettle, Chair, Backpack, Planter, Desk, Speaker, Toolbox, Blender, Tent, Clock',
);
const TAGS = list(
  'tools, outdoor, kitchen, office, garden, electronics, eco, bestseller, new, sale, premium, kids',
);
const USES = list(
  'everyday use, small workshops, busy kitchens, home offices, weekend trips, professional crews',
);
const NOTES = [
  'Margin under review',
  'Supplier renegotiation pending',
  'Do not discount below cost',
  'Recall check passed',
] as const;

/** Stock rule fixed by construction so tests can rely on it: every 25th product is out of stock, 3 more per 25 are low. */
function stockFor(n: number, rng: Seeded): number {
  if (n % 25 === 0) return 0;
  if (n % 25 >= 12 && n % 25 <= 14) return rng.int(1, 9);
  return rng.int(10, 400);
}

function imagesFor(sku: string, rng: Seeded): ProductImage[] {
  const base = `https://cdn.example.com/products/${sku.toLowerCase()}`;
  const images: ProductImage[] = [
    { url: `${base}/1-thumbnail.jpg`, kind: 'thumbnail', width: 150, height: 150 },
  ];
  const extra = rng.int(2, 4);
  for (let i = 0; i < extra; i += 1) {
    const kind = i % 2 === 0 ? 'full' : 'zoom';
    const size = kind === 'full' ? 1200 : 2400;
    images.push({ url: `${base}/${i + 2}-${kind}.jpg`, kind, width: size, height: size });
  }
  return images;
}

function productAt(n: number, rng: Seeded): Product {
  const sku = sequenceId('SKU-', n, 5);
  const noun = rng.pick(NOUNS);
  const material = rng.pick(MATERIALS);
  const name = `${rng.pick(ADJECTIVES)} ${material} ${noun}`;
  const price = rng.money(4.5, 1499);
  const createdDaysAgo = rng.int(30, 720);
  return {
    sku,
    name,
    description:
      `The ${name.toLowerCase()} is built for ${rng.pick(USES)}. ` +
      `Its ${material.toLowerCase()} body is tested for ${rng.int(2, 10)} years of service and ships fully assembled. ` +
      `Backed by a ${rng.pick([1, 2, 3, 5])}-year warranty and free returns within 30 days.`,
    price,
    currency: 'EUR',
    stock: stockFor(n, rng),
    warehouse: rng.pick(WAREHOUSES),
    images: imagesFor(sku, rng),
    tags: rng.sample(TAGS, rng.int(2, 4)),
    supplier: rng.pick(SUPPLIERS),
    costPrice: roundMoney(price * (0.4 + rng.float() * 0.3)),
    internalNotes: `${rng.pick(NOTES)} (batch ${rng.digits(6)}).`,
    createdAt: isoBeforeReference(createdDaysAgo * DAY_MS + rng.int(0, DAY_MS - 1)),
    updatedAt: isoBeforeReference(rng.int(0, createdDaysAgo - 1) * DAY_MS + rng.int(0, DAY_MS - 1)),
  };
}

/** The 500 seeded products, `SKU-00001`…`SKU-00500`, identical on every call. */
export function seedProducts(): Product[] {
  const rng = new Seeded(0x1a7e_0001);
  return Array.from({ length: PRODUCT_COUNT }, (_, i) => productAt(i + 1, rng));
}
