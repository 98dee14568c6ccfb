export { startDemoEstate } from './demo-estate';
export { estateEnv } from './estate-env';
export type { DemoEstate, DemoEstateOptions } from './demo-estate.types';
export { SERVICE_NAMES, type EstateMember, type ServiceName } from './estate-members';
export type { Fault } from './faults';
export type { RecordedRequest } from './recorder';
export { DEMO_PARTNERS, DEMO_ROLES, type DemoPartner, type DemoRole } from './demo-credentials';
export { DEMO_CUSTOMER_IDS, DEMO_EMPLOYEE_IDS, DEMO_IDS } from './demo-ids';
export { DEMO_REFERENCE_DATE } from './seed';
export {
  PRODUCT_COUNT,
  seedProducts,
  type Product,
  type ProductImage,
  type Supplier,
  type Warehouse,
} from './products.seed';
export { EMPLOYEE_COUNT, seedEmployees, type Employee } from './employees.seed';
export type { PostalAddress } from './people.seed';
export { seedSalaries, type SalaryRecord } from './salaries.seed';
export { CUSTOMER_COUNT, seedCustomers, type Customer } from './customers.seed';
export { customerIdOfSubject } from './customer-accounts';
export {
  ORDER_COUNT,
  ORDER_STATUSES,
  seedOrders,
  type Order,
  type OrderItem,
  type OrderStatus,
  type PartnerId,
} from './orders.seed';
export type { SalesSummary, SalesWindow } from './sales-summary';
export type { TokenResponse } from './identity.service';
