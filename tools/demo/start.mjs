#!/usr/bin/env node
// `npm start`: builds the three BFFs and the demo estate, starts them as plain node processes on their default
// ports (PRODUCT.md), waits until every BFF is ready, and prints what to try. Ctrl-C stops everything.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';

const BFFS = [
  { name: 'web-bff', port: 3001 },
  { name: 'mobile-bff', port: 3002 },
  { name: 'partner-bff', port: 3003 },
];
const ESTATE = { identity: 4000, inventory: 4001, hr: 4002, payroll: 4003, sales: 4004, customers: 4005 };
const children = [];
let stopping = false;

function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const portFree = (port) =>
  new Promise((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

// Generous: three Nest apps starting at once on a busy 2-core machine took over 30 s once (the demo then stopped
// itself although nothing was wrong); a slow start says what it is waiting for instead of failing early.
async function waitFor(url, what, timeoutMs = 120_000) {
  const started = Date.now();
  const until = started + timeoutMs;
  let last = 'no answer yet';
  let told = started;
  while (Date.now() < until && !stopping) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `answered ${res.status}`;
    } catch (error) {
      last = `not listening yet (${error.cause?.code ?? error.message})`;
    }
    if (Date.now() - told >= 15_000) {
      told = Date.now();
      console.log(`…still waiting for ${what} (${Math.round((told - started) / 1000)} s): ${url} ${last}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // stopped (Ctrl-C) while waiting: not a start that timed out
  if (stopping) throw new Error(`${what} was not ready yet at ${url} when the demo was stopped (${last})`);
  throw new Error(`${what} did not become ready at ${url} within ${timeoutMs / 1000} s (${last})`);
}

function launch(name, env = {}) {
  const child = spawn(process.execPath, [`dist/apps/${name}/main.js`], {
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`\n${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping the demo.`);
      stop(1);
    }
  });
  children.push(child);
}

const busy = [];
for (const port of [...BFFS.map((b) => b.port), ...Object.values(ESTATE)]) if (!(await portFree(port))) busy.push(port);
if (busy.length) {
  console.error(`Ports ${busy.join(', ')} on 127.0.0.1 are in use (another demo running?). Stop it and try again.`);
  process.exit(1);
}

console.log('Building the three BFFs and the demo estate (cached after the first time)…');
execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--projects=web-bff,mobile-bff,partner-bff,demo-upstreams', '--output-style=static'], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
});

// The demo partners' published keys go into partner-bff's key store (PARTNER_KEYS_FILE, default
// var/partner-keys.json; hashed), through the keys CLI. Importing a key that is already there changes nothing.
function seedPartnerKeys(partners) {
  for (const { partnerId, plan, apiKey } of partners) {
    try {
      execFileSync(process.execPath, ['tools/keys/keys.mjs', 'create', '--partner', partnerId, '--plan', plan, '--key', apiKey], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    } catch (error) {
      console.error(`Could not seed the demo key of ${partnerId}: ${String(error.stderr ?? error.message).trim()}`);
    }
  }
}

let credentials;
try {
  launch('demo-upstreams');
  await waitFor(`http://127.0.0.1:${ESTATE.identity}/health`, 'the demo estate');
  credentials = await (await fetch(`http://127.0.0.1:${ESTATE.identity}/demo/credentials`)).json();
  seedPartnerKeys(credentials.partners);
  for (const bff of BFFS) launch(bff.name);
  await Promise.all(BFFS.map((b) => waitFor(`http://127.0.0.1:${b.port}/health/ready`, b.name)));
} catch (error) {
  console.error(error.message);
  stop(1);
  await new Promise(() => {}); // stop() exits shortly
}

const token = (role) => credentials.tokens[role];
const key = (partner) => credentials.partners.find((p) => p.partnerId === partner).apiKey;

console.log(`
Frontdoor demo is up (Ctrl-C stops everything).

  web-bff      http://127.0.0.1:3001   (browser dashboard: rich answers)
  mobile-bff   http://127.0.0.1:3002   (phone: trimmed answers)
  partner-bff  http://127.0.0.1:3003   (partners: slim, versioned)
  demo estate  identity :4000  inventory :4001  hr :4002  payroll :4003 (XML)  sales :4004  customers :4005

Try (demo tokens live 1 h; more at http://127.0.0.1:4000/demo/credentials):

  # web: an employee profile = hr (JSON) + payroll (XML); salary shown to finance only
  curl -s http://127.0.0.1:3001/api/employees/E0001 -H 'Authorization: Bearer ${token('finance')}'
  curl -s http://127.0.0.1:3001/api/employees/E0001 -H 'Authorization: Bearer ${token('hr')}'

  # mobile: the catalogue trimmed to what a phone shows
  curl -s 'http://127.0.0.1:3002/api/products?limit=3' -H 'Authorization: Bearer ${token('sales')}'

  # partner: the slim v1 catalogue with a partner API key (acme, plan gold)
  curl -s 'http://127.0.0.1:3003/v1/products?limit=3' -H 'X-API-Key: ${key('acme')}'

  # partner: its own orders only (globex, plan free); another partner's order is a 404
  curl -s 'http://127.0.0.1:3003/v1/orders?limit=3' -H 'X-API-Key: ${key('globex')}'
  curl -s http://127.0.0.1:3003/v1/orders/O-00001 -H 'X-API-Key: ${key('globex')}'

  # no credentials: 401 with a challenge; the services themselves refuse anyone but a gateway
  curl -si http://127.0.0.1:3001/api/employees/E0001 | head -1
  curl -s http://127.0.0.1:4002/employees/E0001 -H 'Authorization: Bearer ${token('admin')}'

  # every error is RFC 9457 problem+json with a requestId
  curl -si http://127.0.0.1:3001/api/nothing-here

  # health, readiness and Prometheus metrics
  curl -s http://127.0.0.1:3001/health/ready; curl -s http://127.0.0.1:3001/metrics | head

  # make hr slow (5 s): the gateway answers 504 at its 3 s deadline, naming "hr", never its host… then heal it
  curl -s -X PUT http://127.0.0.1:4002/__demo/fault -H 'content-type: application/json' -d '{"latencyMs": 5000}'
  curl -s http://127.0.0.1:3001/api/employees/E0001 -H 'Authorization: Bearer ${token('hr')}'
  curl -s -X PUT http://127.0.0.1:4002/__demo/fault -H 'content-type: application/json' -d '{}'
`);
