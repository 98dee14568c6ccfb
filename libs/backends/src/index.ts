export type { CallContext } from './call-context';
export type {
  Address,
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
export { PayrollClient, readPayrollRecord } from './payroll.client';
export { SalesClient, readOrder, readSalesSummary, type OrderQuery } from './sales.client';
export { BackendsModule, type UpstreamSettings } from './backends.module';
