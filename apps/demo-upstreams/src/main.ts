import { loadConfigOrExit } from '@frontdoor/config';
import { startDemoEstate, type DemoEstate, type EstateMember, type Fault } from '@frontdoor/demo-estate';
import { demoFaultSchema, faultsFrom } from './app/demo-faults.config';

function banner(estate: DemoEstate, faults: Partial<Record<string, Fault>>): string {
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
  const faults = faultsFrom(loadConfigOrExit(demoFaultSchema)); // bad variable: one message, exit 78
  let estate: DemoEstate;
  try {
    estate = await startDemoEstate({ ports: 'default', faults });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(banner(estate, faults));
  const shutdown = () => void estate.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

void main();
