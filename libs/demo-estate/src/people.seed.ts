import { list, type Seeded } from './seed';

/** A postal address as hr and customers serve it. */
export interface PostalAddress {
  street: string;
  city: string;
  postcode: string;
  country: string;
}

const FIRST_NAMES = list(
  'Anna, Ben, Clara, David, Elena, Felix, Greta, Hugo, Ines, Jonas, Katja, Lukas, Mara, Nils, Olivia, Paul, Quentin, Rosa, Sami, Tara, Umar, Vera, Wim, Yara, Zoe, Marco, Lea, Omar',
);
const LAST_NAMES = list(
  "Schmidt, Dubois, de Vries, Rossi, García, Novak, Jansen, Weber, Moreau, Bianchi, Lopez, Keller, Fischer, Laurent, Bakker, Romano, Fernández, Horvat, Wagner, Martin, O'Neill, Visser, Conti",
);
/** Streets and postcode formats per country, so addresses look plausible. */
const COUNTRIES = {
  DE: {
    cities: ['Berlin', 'Hamburg', 'München'],
    streets: ['Hauptstraße', 'Lindenallee', 'Bahnhofstraße'],
    postcode: [10000, 99999],
  },
  FR: {
    cities: ['Paris', 'Lyon'],
    streets: ['Rue de la Paix', 'Rue Victor Hugo', 'Avenue Foch'],
    postcode: [10000, 95999],
  },
  NL: {
    cities: ['Amsterdam', 'Utrecht'],
    streets: ['Kerkstraat', 'Prinsengracht', 'Dorpsstraat'],
    postcode: [1000, 9999],
  },
  IT: {
    cities: ['Milano', 'Torino'],
    streets: ['Via Roma', 'Corso Italia', 'Via Garibaldi'],
    postcode: [10100, 98100],
  },
  ES: {
    cities: ['Madrid', 'Valencia'],
    streets: ['Calle Mayor', 'Gran Vía', 'Calle de Alcalá'],
    postcode: [10000, 52999],
  },
  AT: {
    cities: ['Wien', 'Graz'],
    streets: ['Mariahilfer Straße', 'Ringstraße', 'Marktplatz'],
    postcode: [1010, 9999],
  },
} as const;
const COUNTRY_CODES = Object.keys(COUNTRIES) as (keyof typeof COUNTRIES)[];
const DIAL_CODES: Record<string, string> = {
  DE: '+49',
  FR: '+33',
  NL: '+31',
  IT: '+39',
  ES: '+34',
  AT: '+43',
};

/** A random first and last name. */
export function personName(rng: Seeded): { first: string; last: string; full: string } {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  return { first, last, full: `${first} ${last}` };
}

/** A plausible address: street, city and postcode format match the country. */
export function postalAddress(rng: Seeded): PostalAddress {
  const country = rng.pick(COUNTRY_CODES);
  const { cities, streets, postcode } = COUNTRIES[country];
  const number = String(rng.int(postcode[0], postcode[1]));
  return {
    street: `${rng.pick(streets)} ${rng.int(1, 180)}`,
    city: rng.pick(cities),
    postcode: country === 'NL' ? `${number} ${rng.pick(['AB', 'KL', 'XZ'])}` : number,
    country,
  };
}

/** A phone number with the country's dialling code. */
export function phoneNumber(rng: Seeded, country: string): string {
  return `${DIAL_CODES[country] ?? '+49'} ${rng.int(30, 99)} ${rng.digits(7)}`;
}

/**
 * `first.last@domain`, ASCII-folded, unique within `taken` (a counter is appended on collision).
 */
export function uniqueEmail(first: string, last: string, domain: string, taken: Set<string>): string {
  const local = `${first}.${last}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z.]/g, '');
  let candidate = `${local}@${domain}`;
  for (let n = 2; taken.has(candidate); n += 1) candidate = `${local}${n}@${domain}`;
  taken.add(candidate);
  return candidate;
}
