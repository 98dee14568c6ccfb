// Every process the replicas run starts goes through here, so that all of them are stopped on every way out:
// normal end, a failed check, an exception, the global timeout, Ctrl-C.
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
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

/** How `proc` ended ("exited with code 1", "killed by SIGKILL"), or undefined while it runs. */
export function exitOf(proc) {
  const { exitCode, signalCode } = proc.child;
  if (exitCode !== null) return `exited with code ${exitCode}`;
  if (signalCode !== null) return `killed by ${signalCode}`;
  return undefined;
}

/** Sends `signal`, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopProcess(proc, signal = 'SIGTERM', graceMs = 3000) {
  if (exitOf(proc) !== undefined) return;
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

/** Ports this process has handed out: a port is chosen some time before its server binds it. */
const handedOut = new Set();

/**
 * A free TCP port on 127.0.0.1, chosen by the kernel and never one handed out before by this process. A port is
 * free only until someone binds it, and the kernel may offer the same free port twice: without the record, a port
 * picked for Redis before redis-server bound it could be offered again to a replica, and one of the two would fail
 * to start with EADDRINUSE.
 */
export async function freePort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise((resolve, reject) => {
      const server = createServer().once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port: chosen } = server.address();
        server.close(() => resolve(chosen));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free port on 127.0.0.1 that was not handed out already (50 tries)');
}

/** The last `lines` lines of a log file (each cut to 300 characters), for an error message; '' when unreadable. */
export function logTail(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line))
      .join('\n');
  } catch {
    return '';
  }
}

/** Whether `port` can be bound on 127.0.0.1 right now. */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
