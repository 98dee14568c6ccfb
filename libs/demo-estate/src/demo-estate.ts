import { DEMO_JWT_AUDIENCE, DEMO_JWT_ISSUER, DEMO_PORTS } from '@frontdoor/config';
import { customersRoutes } from './customers.service';
import { seedCustomers } from './customers.seed';
import type { DemoEstate, DemoEstateOptions } from './demo-estate.types';
import { JSON_DIALECT, XML_DIALECT } from './dialects';
import { seedEmployees } from './employees.seed';
import { ESTATE_MEMBERS, SERVICE_NAMES, type EstateMember, type ServiceName } from './estate-members';
import { FaultState } from './faults';
import { GatewayTrust } from './gateway-trust';
import { hrRoutes } from './hr.service';
import { IdentityKeys, type TokenPolicy } from './identity-keys';
import { identityRoutes, validateTokenRequest } from './identity.service';
import { inventoryRoutes } from './inventory.service';
import { seedOrders } from './orders.seed';
import { payrollRoutes } from './payroll.service';
import { seedProducts } from './products.seed';
import { Recorder } from './recorder';
import { seedSalaries } from './salaries.seed';
import { salesRoutes } from './sales.service';
import { ServiceHost, type ServiceDefinition } from './service-host';

type Business = Omit<ServiceDefinition, 'faults' | 'recorder' | 'name'>;

/** Seeds the data (once, for this estate) and declares each business service's routes and dialect. */
function businessServices(): Record<ServiceName, Business> {
  const products = seedProducts();
  const employees = seedEmployees();
  const customers = seedCustomers();
  return {
    inventory: { dialect: JSON_DIALECT, routes: inventoryRoutes(products) },
    hr: { dialect: JSON_DIALECT, routes: hrRoutes(employees) },
    payroll: { dialect: XML_DIALECT, routes: payrollRoutes(seedSalaries(employees)) },
    sales: { dialect: JSON_DIALECT, routes: salesRoutes(seedOrders(products), products, new Set(customers.map((c) => c.id))) },
    customers: { dialect: JSON_DIALECT, routes: customersRoutes(customers) },
  };
}

function portOf(member: EstateMember, ports: DemoEstateOptions['ports']): number {
  if (ports === 'default') return DEMO_PORTS[member];
  return ports?.[member] ?? 0;
}

function tokenPolicy(options: DemoEstateOptions): TokenPolicy {
  const lifetimeS = options.tokenLifetimeS ?? 3600;
  if (!Number.isInteger(lifetimeS) || lifetimeS < 1)
    throw new RangeError('tokenLifetimeS must be a positive integer');
  return {
    issuer: options.issuer ?? DEMO_JWT_ISSUER,
    audience: options.audience ?? DEMO_JWT_AUDIENCE,
    lifetimeS,
  };
}

interface Members {
  readonly hosts: ReadonlyMap<EstateMember, ServiceHost>;
  readonly faults: ReadonlyMap<ServiceName, FaultState>;
  readonly recorders: ReadonlyMap<ServiceName, Recorder>;
}

/** One host per member; each business service gets its own fault state (own error sequence) and recorder. */
function buildMembers(options: DemoEstateOptions, keys: IdentityKeys, policy: TokenPolicy, trust: GatewayTrust): Members {
  const services = businessServices();
  const faults = new Map<ServiceName, FaultState>();
  const recorders = new Map<ServiceName, Recorder>();
  const hosts = new Map<EstateMember, ServiceHost>();
  const identity = { name: 'identity' as const, dialect: JSON_DIALECT, routes: identityRoutes(keys, policy) };
  hosts.set('identity', new ServiceHost(identity, portOf('identity', options.ports)));
  SERVICE_NAMES.forEach((name, i) => {
    const state = new FaultState(0xfa017 + i, services[name].dialect);
    state.set(options.faults?.[name] ?? {});
    const recorder = new Recorder(200);
    faults.set(name, state);
    recorders.set(name, recorder);
    hosts.set(
      name,
      new ServiceHost({ name, ...services[name], faults: state, recorder, trust }, portOf(name, options.ports)),
    );
  });
  return { hosts, faults, recorders };
}

/** Starts every host; if one cannot listen, closes the others and throws an error naming the member and port. */
async function startAll(
  hosts: ReadonlyMap<EstateMember, ServiceHost>,
  options: DemoEstateOptions,
): Promise<void> {
  const started = await Promise.allSettled(
    ESTATE_MEMBERS.map((member) => (hosts.get(member) as ServiceHost).start()),
  );
  const failed = started.findIndex((result) => result.status === 'rejected');
  if (failed < 0) return;
  await Promise.all([...hosts.values()].map((h) => h.stop()));
  const member = ESTATE_MEMBERS[failed] as EstateMember;
  const reason = (started[failed] as PromiseRejectedResult).reason as Error;
  throw new Error(
    `demo estate: ${member} could not listen on port ${portOf(member, options.ports)}: ${reason.message}`,
  );
}

/**
 * Starts the demo estate: the dev identity provider and the five seeded services (inventory, hr, payroll, sales,
 * customers), each a `node:http` server on 127.0.0.1. Data is deterministic and generated once here; sales state
 * (new orders) belongs to this estate instance.
 * @throws Error when a port cannot be bound (everything already started is closed again) or an option is invalid
 */
export async function startDemoEstate(options: DemoEstateOptions = {}): Promise<DemoEstate> {
  const policy = tokenPolicy(options);
  const keys = await IdentityKeys.create();
  const trust = new GatewayTrust(options.trustedGatewayJwks ?? []);
  const { hosts, faults, recorders } = buildMembers(options, keys, policy, trust);
  await startAll(hosts, options);
  const host = (member: EstateMember) => hosts.get(member) as ServiceHost;
  const urls = Object.freeze(
    Object.fromEntries(ESTATE_MEMBERS.map((m) => [m, host(m).url])) as Record<EstateMember, string>,
  );
  let stopped: Promise<void> | undefined;
  return {
    urls,
    jwksUrl: `${urls.identity}/.well-known/jwks.json`,
    issuer: policy.issuer,
    audience: policy.audience,
    setFault: (service, fault) => (faults.get(service) as FaultState).set(fault),
    stopService: (member) => host(member).stop(),
    startService: async (member) => {
      if (stopped) throw new Error('demo estate: already stopped');
      await host(member).start();
    },
    recorded: (service) => (recorders.get(service) as Recorder).snapshot(),
    clearRecorded: () => recorders.forEach((r) => r.clear()),
    issueToken: async (claims) => keys.sign(validateTokenRequest(claims), policy),
    rotateIdentityKeys: () => keys.rotate(),
    trustGateways: (jwksUrls) => trust.trust(jwksUrls),
    stop: () => (stopped ??= Promise.all([...hosts.values()].map((h) => h.stop())).then(() => undefined)),
  };
}
