/** The five business services of the demo estate. */
export const SERVICE_NAMES = ['inventory', 'hr', 'payroll', 'sales', 'customers'] as const;

/** One of the five business services (faults and recording apply to these). */
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Every process-like member of the estate: the five services and the dev identity provider. */
export type EstateMember = ServiceName | 'identity';

/** Every member, identity first (the order in which the estate starts and reports them). */
export const ESTATE_MEMBERS: readonly EstateMember[] = ['identity', ...SERVICE_NAMES];
