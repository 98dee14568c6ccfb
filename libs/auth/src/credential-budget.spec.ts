import { addressKeyOf, CredentialBudget } from './credential-budget';

describe('CredentialBudget', () => {
  it('allows a burst of twice the rate, then refills at the rate, and says how long to wait', () => {
    let nowMs = 0;
    const budget = new CredentialBudget(2, 100, () => nowMs);
    expect([1, 2, 3, 4].map(() => budget.take('192.0.2.1'))).toEqual([0, 0, 0, 0]);
    expect(budget.take('192.0.2.1')).toBe(1);
    nowMs = 499; // 0.998 of a token
    expect(budget.take('192.0.2.1')).toBe(1);
    nowMs = 1000; // one more token since 499 ms
    expect(budget.take('192.0.2.1')).toBe(0);
    nowMs = 60_000; // a long pause refills to the burst, never past it
    expect([1, 2, 3, 4, 5].map(() => budget.take('192.0.2.1'))).toEqual([0, 0, 0, 0, 1]);
  });

  it('keeps one bucket per address, IPv6 by its /64, bounded in the addresses it remembers', () => {
    const budget = new CredentialBudget(1, 2, () => 0);
    expect([budget.take('2001:db8:1:2::1'), budget.take('2001:db8:1:2:ffff::9'), budget.take('2001:db8:1:2::3')]).toEqual([0, 0, 1]);
    expect(budget.take('2001:db8:1:3::1')).toBe(0); // another /64
    // a third address makes room by forgetting the first one seen: it starts afresh
    expect(budget.take('192.0.2.1')).toBe(0);
    expect(budget.take('2001:db8:1:2::1')).toBe(0);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new CredentialBudget(0)).toThrow(RangeError);
    expect(() => new CredentialBudget(Number.NaN)).toThrow(RangeError);
  });
});

describe('addressKeyOf', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:192.0.2.1', '192.0.2.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::', '2001:db8:1:2::/64'],
    ['2001:DB8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
  ])('%s → %s', (ip, key) => {
    expect(addressKeyOf(ip)).toBe(key);
  });
});
