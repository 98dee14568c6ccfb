/** Domain types of the backends, as the gateway reads them. Fields not named here are dropped on decode. */

export interface ProductImage {
  readonly url: string;
  readonly kind: string;
  readonly width: number;
  readonly height: number;
}

export interface Product {
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly price: number;
  readonly currency: string;
  readonly stock: number;
  readonly warehouse: { readonly id: string; readonly name: string; readonly location: string };
  readonly images: readonly ProductImage[];
  readonly tags: readonly string[];
  readonly supplier: { readonly id: string; readonly name: string };
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

export interface Address {
  readonly street: string;
  readonly city: string;
  readonly postcode: string;
  readonly country: string;
}

/** A customer account (customers service). `creditScore` is sensitive and never decoded. */
export interface Customer {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  readonly address: Address;
  readonly segment: string;
}

export interface Employee {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly department: string;
  readonly title: string;
  readonly managerId: string | null;
  readonly hiredAt: string;
  readonly phone: string;
  readonly address: Address;
}

/** A payroll record. `bankAccount` is sensitive: it is decoded (kept exact, as a string) but never shaped out. */
export interface PayrollRecord {
  readonly employeeId: string;
  readonly base: number;
  readonly bonus: number;
  readonly currency: string;
  readonly bankAccount: string;
}

export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  /** The product's price when ordered. */
  readonly unitPrice: number;
}

/** Orders and revenue (totals of orders not cancelled) in one window. */
export interface SalesWindow {
  readonly orders: number;
  readonly revenue: number;
}

/** What sales' `GET /summary` answers: windows relative to its reference date, and order counts per status. */
export interface SalesSummary {
  readonly currency: string;
  readonly referenceDate: string;
  readonly today: SalesWindow;
  readonly last7Days: SalesWindow;
  readonly last30Days: SalesWindow;
  readonly byStatus: Readonly<Record<string, number>>;
}

/** A product whose stock is below the alert threshold (inventory `GET /stock/alerts`). */
export interface StockAlert {
  readonly sku: string;
  readonly name: string;
  readonly stock: number;
  readonly warehouse: { readonly id: string; readonly name: string; readonly location: string };
}

/** An order as sales serves it. `partnerId` is null for orders placed directly, not through a partner. */
export interface Order {
  readonly id: string;
  readonly customerId: string;
  readonly partnerId: string | null;
  readonly items: readonly OrderLine[];
  readonly total: number;
  readonly currency: string;
  readonly status: string;
  readonly createdAt: string;
}
