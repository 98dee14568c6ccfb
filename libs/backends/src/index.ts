export { withDeadline, type CallContext } from './call-context';
export type {
  Address,
  Customer,
  Employee,
  Order,
  OrderLine,
  Page,
  PayrollRecord,
  Product,
  ProductImage,
  SalesSummary,
  SalesWindow,
  StockAlert,
} from './domain';
export { InventoryClient, readProduct, readStockAlert, type ProductQuery } from './inventory.client';
export { HrClient, readEmployee } from './hr.client';
export { CustomersClient, readCustomer } from './customers.client';
export { PayrollClient, readPayrollRecord } from './payroll.client';
export { SalesClient, readOrder, readSalesSummary, type NewOrder, type OrderQuery } from './sales.client';
export { BackendsModule, type UpstreamSettings } from './backends.module';
