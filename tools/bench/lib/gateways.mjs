// The Frontdoor apps under test, started from their BUILT bundles (dist/apps/<app>/main.js) exactly as
// tools/demo/start.mjs does, with their whole pipeline on and the environment pointing at the bench upstream.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, start, unlessExited, waitForHttp } from './procs.mjs';

export const APPS = ['web-bff', 'mobile-bff', 'partner-bff'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Which app bundles are missing or older than any source they may include (apps/<app>, libs, lockfile, tsconfig). */
export function staleBundles(root) {
  const shared = Math.max(newestMtime(join(root, 'libs')), newestMtime(join(root, 'package-lock.json')), newestMtime(join(root, 'tsconfig.base.json')));
  return APPS.filter((app) => {
    const bundle = join(root, 'dist/apps', app, 'main.js');
    return !existsSync(bundle) || statSync(bundle).mtimeMs < Math.max(shared, newestMtime(join(root, 'apps', app)));
  });
}

/**
 * A clean copy of commit `ref` in `dir` (read-only git: `git archive`, so the repo and its index are untouched), with
 * the working tree's node_modules linked in. Used to measure a commit while others edit the working tree.
 * @returns the copy's root
 */
export function exportRef(root, ref, dir) {
  mkdirSync(dir, { recursive: true });
  const commit = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: root, encoding: 'utf8' }).trim();
  execFileSync('bash', ['-o', 'pipefail', '-c', `git archive --format=tar ${commit} | tar -x -C "$1"`, 'export', dir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/**
 * Builds the three apps with Nx (cached when nothing changed). An export (`--ref`) keeps its Nx cache in the system
 * temp dir, shared by later exports, so measuring the same commit again does not rebuild it.
 */
export function buildApps(root, { exported = false } = {}) {
  const cache = exported ? { NX_CACHE_DIRECTORY: join(tmpdir(), 'frontdoor-bench-nx-cache') } : {};
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', `--projects=${APPS.join(',')}`, '--output-style=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...cache },
    timeout: 15 * 60_000,
  });
}

/** The UPSTREAM_*_URL variables for the bench upstream's ports; `payroll: 'payrollJson'` points payroll at the JSON twin. */
export function upstreamEnv(ports, { payroll = 'payroll' } = {}) {
  const url = (name) => `http://127.0.0.1:${ports[name]}`;
  return {
    UPSTREAM_INVENTORY_URL: url('inventory'),
    UPSTREAM_HR_URL: url('hr'),
    UPSTREAM_PAYROLL_URL: url(payroll),
    UPSTREAM_SALES_URL: url('sales'),
    UPSTREAM_CUSTOMERS_URL: url('customers'),
  };
}

/**
 * The V8 flags the images run the BFFs with (`ENV NODE_OPTIONS` in docker/<bff>.Dockerfile; tools/deploy checks that
 * they agree): measured apps run as deployed. `--env NODE_OPTIONS=` measures V8's own defaults instead.
 */
export const IMAGE_NODE_OPTIONS = '--max-old-space-size=96';

/**
 * Starts `dist/apps/<app>/main.js` on a free port, pinned to `cpu`, stdout (the pino log, LOG_LEVEL=info) appended to
 * `logFile`, and waits for /health/live. `nodeArgs` go before the script (e.g. a profiler preload).
 */
export async function startApp(root, app, { label = app, env, cpu, logFile, nodeArgs = [] }) {
  const port = await freePort();
  const entry = start(label, process.execPath, [...nodeArgs, join(root, 'dist/apps', app, 'main.js')], {
    cwd: root,
    cpu,
    stdout: logFile,
    stderr: 'pipe',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      NODE_OPTIONS: IMAGE_NODE_OPTIONS,
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await unlessExited(entry, waitForHttp(`${url}/health/live`, 60_000));
  return { app, label, entry, pid: entry.child.pid, url, logFile };
}
