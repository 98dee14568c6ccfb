export type { CallContext } from './call-context';
export type { Address, Employee, Page, PayrollRecord, Product, ProductImage } from './domain';
export { InventoryClient, readProduct, type ProductQuery } from './inventory.client';
export { HrClient, readEmployee } from './hr.client';
export { PayrollClient, readPayrollRecord } from './payroll.client';
export { BackendsModule, type UpstreamSettings } from './backends.module';
