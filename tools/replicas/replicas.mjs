#!/usr/bin/env node
// npm run replicas — the multi-instance set-up proven natively, without a container engine: one redis-server, the
// demo estate, and two replicas of each BFF from their built bundles, all on 127.0.0.1; then the shared-limit,
// idempotency, failover and Redis-restart checks against both replicas, a PASS/FAIL table, and every process stopped.
// Builds nothing (run `npm run build` first). Bounded: 120 s in all. Exit 0 all passed, 1 a check failed or the run
// could not start, 2 nothing failed but some checks are NOT AVAILABLE (their feature is not in the apps yet).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerHealthcheck } from './checks/healthcheck.mjs';
import { failover } from './checks/failover.mjs';
import { idempotency } from './checks/idempotency.mjs';
import { sharedRateLimit } from './checks/rate-limit.mjs';
import { answersWithoutRedis, readinessFollowsRedis } from './checks/redis-restart.mjs';
import { BFF_APPS } from './lib/cluster.mjs';
import { preflight, startAll } from './lib/start.mjs';
import { killAllNow, stopAll } from './lib/processes.mjs';
import {
  CheckFailed,
  FAIL,
  NOT_AVAILABLE,
  NotAvailable,
  PASS,
  exitCode,
  printTable,
} from './lib/results.mjs';

const TIMEOUT_MS = 120_000;
const root = resolve(fileURLToPath(import.meta.url), '../../..');

/** The checks, in order: those needing Redis first, Redis restarted last. */
const CHECKS = [
  ...BFF_APPS.map((app) => [`shared rate limit: ${app}`, (ctx) => sharedRateLimit(ctx, app)]),
  ['idempotency: partner POST /v1/orders', idempotency],
  ['docker HEALTHCHECK one-liner', dockerHealthcheck],
  ...BFF_APPS.map((app) => [`failover: ${app}`, (ctx) => failover(ctx, app)]),
  ['redis down: BFFs keep answering', answersWithoutRedis],
  ['redis down/up: /health/ready follows', readinessFollowsRedis],
];

const results = [];

async function runChecks(ctx) {
  for (const [name, check] of CHECKS) {
    process.stdout.write(`… ${name}\n`);
    try {
      results.push({ name, status: PASS, detail: await check(ctx) });
    } catch (error) {
      const status = error instanceof NotAvailable ? NOT_AVAILABLE : FAIL;
      const detail =
        error instanceof NotAvailable || error instanceof CheckFailed
          ? error.message
          : `error: ${error.stack ?? error}`;
      results.push({ name, status, detail });
    }
  }
}

async function main() {
  const problem = await preflight(root);
  if (problem) {
    console.error(`replicas: ${problem}`);
    process.exit(1);
  }
  const logDir = mkdtempSync(join(tmpdir(), 'frontdoor-replicas-'));
  let timer;
  const timedOut = new Promise((resolveTimeout) => {
    timer = setTimeout(() => resolveTimeout('timeout'), TIMEOUT_MS);
  });
  const stop = async (signal) => {
    console.error(`\nreplicas: ${signal}: stopping everything`);
    await stopAll();
    rmSync(logDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', stop).once('SIGTERM', stop).once('exit', killAllNow);
  try {
    const run = (async () => runChecks(await startAll({ root, logDir })))();
    if ((await Promise.race([run, timedOut])) === 'timeout') {
      results.push({
        name: 'global timeout',
        status: FAIL,
        detail: `stopped after ${TIMEOUT_MS / 1000} s; checks not reported above did not finish`,
      });
    }
  } catch (error) {
    results.push({ name: 'start', status: FAIL, detail: error.message });
  } finally {
    clearTimeout(timer);
    await stopAll();
  }
  printTable(results);
  const code = exitCode(results);
  if (code === 1) console.log(`logs kept in ${logDir}`);
  else rmSync(logDir, { recursive: true, force: true });
  process.exit(code);
}

void main();
