// Process management: every process the benchmark starts is tracked here and stopped on the way out — normal end,
// error, Ctrl-C or SIGTERM. Servers and the load generator can be pinned to a CPU with taskset (which execs, so the
// pid we get is the server's own pid and /proc figures are the server's).
import { spawn, spawnSync } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';

const tracked = new Set();
const finalizers = [];
let cleanupHandlersInstalled = false;

/** Runs `fn` (synchronous: e.g. removing the temp dir) when the bench is interrupted, after its processes stopped. */
export function onInterrupt(fn) {
  installCleanupHandlers();
  finalizers.push(fn);
}

/** `taskset` present and at least two CPUs: servers go on `server` CPUs, load on `load` CPUs. */
export function pinningPlan() {
  const cpus = availableParallelism();
  const taskset = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!taskset || cpus < 2) return { enabled: false, cpus, reason: taskset ? 'only one CPU' : 'taskset not found' };
  return { enabled: true, cpus, server: '0', load: cpus >= 4 ? `2-${cpus - 1}` : '1' };
}

function withPin(cpuList, command, args) {
  return cpuList === undefined ? [command, args] : ['taskset', ['-c', cpuList, command, ...args]];
}

/**
 * Starts a tracked child. `stdout`/`stderr`: 'ignore', 'pipe', or a file path (opened for append, so it can be
 * truncated between runs while the child keeps writing).
 */
export function start(name, command, args, { cpu, env, stdout = 'ignore', stderr = 'pipe', cwd } = {}) {
  installCleanupHandlers();
  const fds = [];
  const io = (target) => {
    if (target === 'ignore' || target === 'pipe' || target === 'inherit') return target;
    const fd = openSync(target, 'a');
    fds.push(fd);
    return fd;
  };
  const [cmd, argv] = withPin(cpu, command, args);
  const child = spawn(cmd, argv, { cwd, env, stdio: ['ignore', io(stdout), io(stderr)] });
  for (const fd of fds) closeSync(fd);
  const entry = { name, child, stderrTail: '' };
  child.stderr?.on('data', (chunk) => {
    entry.stderrTail = (entry.stderrTail + chunk.toString()).slice(-4000);
  });
  child.once('exit', () => tracked.delete(entry));
  tracked.add(entry);
  return entry;
}

/** Stops one child: SIGTERM, then SIGKILL after `graceMs`. */
export function stop(entry, graceMs = 4000) {
  const { child } = entry;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Stops every tracked child (in parallel). */
export async function stopAll() {
  await Promise.all([...tracked].map((entry) => stop(entry)));
}

function killAllNow() {
  for (const { child } of tracked) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

function installCleanupHandlers() {
  if (cleanupHandlersInstalled) return;
  cleanupHandlersInstalled = true;
  process.once('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping every process it started…\n`);
      void stopAll().finally(() => {
        for (const fn of finalizers) {
          try {
            fn();
          } catch {
            /* best effort */
          }
        }
        process.exit(130);
      });
    });
  }
}

/** Rejects when the child exits before `promise` settles (a server that died at start). */
export function unlessExited(entry, promise) {
  return new Promise((resolve, reject) => {
    const onExit = (code, signal) =>
      reject(new Error(`${entry.name} exited at start (${signal ?? `code ${code}`})${entry.stderrTail ? `:\n${entry.stderrTail.trim()}` : ''}`));
    entry.child.once('exit', onExit);
    promise.then(
      (value) => {
        entry.child.off('exit', onExit);
        resolve(value);
      },
      (error) => {
        entry.child.off('exit', onExit);
        reject(error);
      },
    );
  });
}

/** Resolves the first line the child prints on stdout (spawned with stdout 'pipe'), parsed as JSON. */
export function firstJsonLine(entry, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`${entry.name} printed nothing within ${timeoutMs} ms`)), timeoutMs);
    entry.child.stdout.on('data', (chunk) => {
      text += chunk.toString();
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(text.slice(0, nl)));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Polls `url` until it answers 2xx. */
export async function waitForHttp(url, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < until) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) return;
      last = `status ${res.status}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs / 1000} s (${last})`);
}

/** A port free on 127.0.0.1 right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
