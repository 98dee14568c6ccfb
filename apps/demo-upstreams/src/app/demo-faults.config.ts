import { InvalidValue, milliseconds, type ConfigOf, type EnvVar } from '@frontdoor/config';
import { SERVICE_NAMES, type Fault, type ServiceName } from '@frontdoor/demo-estate';

/** A fraction from 0 to 1, written as a plain decimal (`0`, `0.25`, `1`). */
function fraction(name: string, description: string): EnvVar<number> {
  return {
    name,
    defaultValue: '0',
    description,
    parse: (raw) => {
      const value = raw.trim();
      if (!/^\d+(\.\d+)?$/.test(value) || Number(value) > 1)
        throw new InvalidValue('must be a number from 0 to 1');
      return Number(value);
    },
  };
}

const latencyKey = (service: ServiceName) => `${service}LatencyMs`;
const errorRateKey = (service: ServiceName) => `${service}ErrorRate`;

/**
 * The demo's fault knobs: `DEMO_<SERVICE>_LATENCY_MS` (0–600000, default 0) and `DEMO_<SERVICE>_ERROR_RATE`
 * (0–1, default 0) for SERVICE ∈ INVENTORY, HR, PAYROLL, SALES, CUSTOMERS.
 */
export const demoFaultSchema: Readonly<Record<string, EnvVar<number>>> = Object.freeze(
  Object.fromEntries(
    SERVICE_NAMES.flatMap((service) => {
      const prefix = `DEMO_${service.toUpperCase()}`;
      return [
        [
          latencyKey(service),
          milliseconds(`${prefix}_LATENCY_MS`, '0', `delay before ${service} answers`, 0, 600_000),
        ],
        [
          errorRateKey(service),
          fraction(`${prefix}_ERROR_RATE`, `share of ${service} requests answered 500`),
        ],
      ];
    }),
  ),
);

/** The initial faults of the estate: only services with a non-zero setting appear. */
export function faultsFrom(config: ConfigOf<typeof demoFaultSchema>): Partial<Record<ServiceName, Fault>> {
  const faults: Partial<Record<ServiceName, Fault>> = {};
  for (const service of SERVICE_NAMES) {
    const latencyMs = config[latencyKey(service)] ?? 0;
    const errorRate = config[errorRateKey(service)] ?? 0;
    if (latencyMs > 0 || errorRate > 0) faults[service] = { latencyMs, errorRate };
  }
  return faults;
}
