#!/usr/bin/env node
// Proves a built app runs from its bundle alone: copies dist/apps/<app> to a temp dir outside the repo, installs its
// generated package.json with production dependencies only, starts it with plain `node`, and waits for
// /health/live. Bounded (60 s), 127.0.0.1 only, and it stops everything it started.
import { execFileSync, spawn } from 'node:child_process';
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
        finish(0, `bundle answered /health/live on port ${port} with production dependencies only`);
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
} catch (error) {
  finish(1, error.message);
}
