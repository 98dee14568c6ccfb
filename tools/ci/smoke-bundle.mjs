#!/usr/bin/env node
// Proves a built app runs from its bundle alone: copies dist/apps/<app> to a temp dir outside the repo, installs its
// generated package.json with production dependencies only, starts it with plain `node`, and waits for
// /health/live. Bounded (60 s), 127.0.0.1 only, and it stops everything it started.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const app = process.argv[2];
if (!app) throw new Error('usage: smoke-bundle.mjs <app>');
const dist = resolve('dist/apps', app);
if (!existsSync(join(dist, 'main.js')) || !existsSync(join(dist, 'package.json'))) {
  console.error(`smoke ${app}: ${dist} has no main.js/package.json — build it first (npx nx build ${app})`);
  process.exit(1);
}

const freePort = () =>
  new Promise((ok, fail) => {
    const server = createServer().once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });

const dir = mkdtempSync(join(tmpdir(), `frontdoor-smoke-${app}-`));
let child;
const deadline = setTimeout(() => finish(1, 'timed out after 60 s'), 60_000);
function finish(code, message) {
  clearTimeout(deadline);
  if (child && child.exitCode === null) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  console[code === 0 ? 'log' : 'error'](`smoke ${app}: ${message}`);
  process.exit(code);
}

try {
  cpSync(dist, dir, { recursive: true });
  const lock = existsSync(join(dir, 'package-lock.json'));
  execFileSync('npm', [lock ? 'ci' : 'install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // A bad configuration stops the bundle with one message naming every bad variable, exit 78, no stack trace.
  const bad = spawnSync(process.execPath, ['main.js'], {
    cwd: dir,
    env: { PATH: process.env.PATH, PORT: 'abc', UPSTREAM_HR_URL: 'notaurl' },
    encoding: 'utf8',
    timeout: 15_000,
  });
  const expected =
    'Invalid configuration:\n' +
    '  - PORT must be a TCP port number from 0 to 65535 (got "abc")\n' +
    '  - UPSTREAM_HR_URL must be a comma-separated list of http:// or https:// base URLs without query or fragment (got "notaurl")\n';
  if (bad.status !== 78 || bad.stderr !== expected || /\bat .*\(/.test(bad.stderr + bad.stdout)) {
    finish(1, `bad config: expected exit 78 and exactly\n${expected}got exit ${bad.status} and\n${bad.stderr}${bad.stdout}`);
  }
  const port = await freePort();
  child = spawn(process.execPath, ['main.js'], {
    cwd: dir,
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code) => finish(1, `exited early with code ${code}`));
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/live`);
      const body = await res.json();
      if (res.status === 200 && body.status === 'ok') {
        child.removeAllListeners('exit');
        finish(0, `bundle refused a bad config (exit 78) and answered /health/live on port ${port} with production dependencies only`);
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
} catch (error) {
  finish(1, error.message);
}
