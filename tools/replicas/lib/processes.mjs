// Every process the replicas run starts goes through here, so that all of them are stopped on every way out:
// normal end, a failed check, an exception, the global timeout, Ctrl-C.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const running = new Set();

/** Starts `command` with a clean environment (PATH + `env`), output appended to `<logDir>/<name>.log`. */
export function startProcess({ name, command, args, env, logDir, cwd }) {
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const proc = { name, child, exited, logFile: join(logDir, `${name}.log`) };
  running.add(proc);
  void exited.then(() => running.delete(proc));
  return proc;
}

/** Sends `signal`, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopProcess(proc, signal = 'SIGTERM', graceMs = 3000) {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill(signal);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

/** Stops every process still running, gracefully first. */
export async function stopAll() {
  await Promise.all([...running].map((proc) => stopProcess(proc)));
}

/** Last resort on process exit (synchronous): SIGKILL whatever is left. */
export function killAllNow() {
  for (const { child } of running) child.kill('SIGKILL');
}

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Whether `port` can be bound on 127.0.0.1 right now. */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
