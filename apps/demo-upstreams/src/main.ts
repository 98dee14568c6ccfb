import { loadConfigOrExit, type ConfigOf } from '@frontdoor/config';
import { startDemoEstate, type DemoEstate, type EstateMember, type Fault } from '@frontdoor/demo-estate';
import { demoFaultSchema, faultsFrom } from './app/demo-faults.config';
import { demoTrustSchema } from './app/demo-trust.config';

function banner(estate: DemoEstate, faults: Partial<Record<string, Fault>>, trusted: readonly string[]): string {
  const lines = Object.entries(estate.urls).map(
    ([member, url]) => `  ${member.padEnd(10)} ${url}${hint(member as EstateMember)}`,
  );
  const faulty = Object.entries(faults).map(
    ([s, f]) => `  ${s}: latency ${f?.latencyMs ?? 0} ms, error rate ${f?.errorRate ?? 0}`,
  );
  return [
    'demo-upstreams: the demo estate is listening',
    ...lines,
    faulty.length > 0
      ? 'faults:'
      : 'faults: none (set DEMO_<SERVICE>_LATENCY_MS / DEMO_<SERVICE>_ERROR_RATE, or PUT /__demo/fault)',
    ...faulty,
    trusted.length > 0
      ? `services answer only calls signed by a gateway: ${trusted.join(', ')} (DEMO_TRUSTED_GATEWAYS)`
      : 'services are open: no gateway is trusted (DEMO_TRUSTED_GATEWAYS=none)',
    '',
  ].join('\n');
}

function hint(member: EstateMember): string {
  return member === 'identity'
    ? '  (JWKS /.well-known/jwks.json, tokens POST /token, demo keys GET /demo/credentials)'
    : '';
}

/** Starts the estate on the default ports (4000–4005); SIGINT/SIGTERM close it and exit 0. */
async function main(): Promise<void> {
  // one validation of every variable: a bad one gives one message naming it, exit 78
  const config = loadConfigOrExit({ ...demoFaultSchema, ...demoTrustSchema });
  const faults = faultsFrom(config as unknown as ConfigOf<typeof demoFaultSchema>); // the fault keys are all there
  const trusted = config.trustedGatewayJwks;
  let estate: DemoEstate;
  try {
    estate = await startDemoEstate({ ports: 'default', faults, trustedGatewayJwks: trusted });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(banner(estate, faults, trusted));
  const shutdown = () => void estate.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

void main();
