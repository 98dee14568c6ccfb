import { personName, phoneNumber, postalAddress, uniqueEmail, type PostalAddress } from './people.seed';
import { Seeded, sequenceId } from './seed';

/** A customer as the customers service serves it. `creditScore` is sensitive: a gateway must never pass it. */
export interface Customer {
  id: string;
  name: string;
  email: string;
  phone: string;
  address: PostalAddress;
  segment: 'retail' | 'business' | 'vip';
  creditScore: number;
}

/** How many customers the customers service holds. */
export const CUSTOMER_COUNT = 150;

const COMPANY_FORMS: Record<string, string> = {
  DE: 'GmbH',
  AT: 'GmbH',
  FR: 'SARL',
  NL: 'B.V.',
  IT: 'S.r.l.',
  ES: 'S.L.',
};

/** The 150 seeded customers, `C0001`…`C0150`, identical on every call. */
export function seedCustomers(): Customer[] {
  const rng = new Seeded(0xc0_0005);
  const emails = new Set<string>();
  return Array.from({ length: CUSTOMER_COUNT }, (_, i) => {
    const person = personName(rng);
    const address = postalAddress(rng);
    const roll = rng.float();
    const segment = roll < 0.6 ? 'retail' : roll < 0.9 ? 'business' : 'vip';
    const name =
      segment === 'business' ? `${person.last} ${COMPANY_FORMS[address.country] ?? 'Ltd'}` : person.full;
    return {
      id: sequenceId('C', i + 1, 4),
      name,
      email: uniqueEmail(
        person.first,
        person.last,
        segment === 'business' ? 'business.example' : 'mail.example',
        emails,
      ),
      phone: phoneNumber(rng, address.country),
      address,
      segment,
      creditScore: rng.int(300, 850),
    };
  });
}
