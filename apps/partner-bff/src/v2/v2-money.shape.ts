/** v2 money: an amount always travels with its currency. */
export interface V2Money {
  readonly amount: number;
  /** ISO 4217 code. */
  readonly currency: string;
}

export function toV2Money(amount: number, currency: string): V2Money {
  return { amount, currency };
}
